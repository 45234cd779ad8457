import Mustache
import NightlyCore

// The site's view models as swift-mustache reads them: by name, without `Mirror` reflection (which dominated the
// rendering of large pages). Every stored property is listed; `ContextParityTests` checks each list against the
// properties themselves, so a new property cannot be forgotten here.

extension CartAnalyticsPage: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "stamp": self.stamp
        case "windowDays": self.windowDays
        case "stats": self.stats
        case "funnel": self.funnel
        case "cartValue": self.cartValue
        case "abandonedProducts": self.abandonedProducts
        case "recoveryStages": self.recoveryStages
        case "recoveryRevenue": self.recoveryRevenue
        case "holdout": self.holdout
        default: nil
        }
    }
}

extension RecoveryLiftSection: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "headline": self.headline
        case "lift": self.lift
        case "returns": self.returns
        default: nil
        }
    }
}

extension AxisTick: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "position": self.position
        case "labelX": self.labelX
        case "labelY": self.labelY
        case "label": self.label
        case "anchor": self.anchor
        default: nil
        }
    }
}

extension BarChart: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "title": self.title
        case "description": self.description
        case "width": self.width
        case "height": self.height
        case "plotLeft": self.plotLeft
        case "plotRight": self.plotRight
        case "plotTop": self.plotTop
        case "axisY": self.axisY
        case "labelX": self.labelX
        case "titleY": self.titleY
        case "bars": self.bars
        case "ticks": self.ticks
        case "valueAxisLabel": self.valueAxisLabel
        case "valueAxisLabelX": self.valueAxisLabelX
        case "valueAxisLabelY": self.valueAxisLabelY
        case "categoryAxisLabel": self.categoryAxisLabel
        case "categoryAxisLabelY": self.categoryAxisLabelY
        default: nil
        }
    }
}

extension BarChart.Bar: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "shortLabel": self.shortLabel
        case "valueText": self.valueText
        case "y": self.y
        case "textY": self.textY
        case "width": self.width
        case "valueX": self.valueX
        default: nil
        }
    }
}

extension LineChart: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "title": self.title
        case "description": self.description
        case "width": self.width
        case "height": self.height
        case "titleY": self.titleY
        case "plotLeft": self.plotLeft
        case "plotRight": self.plotRight
        case "plotTop": self.plotTop
        case "plotBottom": self.plotBottom
        case "series": self.series
        case "xTicks": self.xTicks
        case "yTicks": self.yTicks
        case "reference": self.reference
        case "xAxisLabel": self.xAxisLabel
        case "yAxisLabel": self.yAxisLabel
        case "xAxisLabelX": self.xAxisLabelX
        case "xAxisLabelY": self.xAxisLabelY
        case "yAxisLabelX": self.yAxisLabelX
        case "tickEndY": self.tickEndY
        default: nil
        }
    }
}

extension LineChart.Point: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "x": self.x
        case "y": self.y
        case "title": self.title
        default: nil
        }
    }
}

extension LineChart.Series: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "styleClass": self.styleClass
        case "path": self.path
        case "points": self.points
        case "swatchX": self.swatchX
        case "legendX": self.legendX
        default: nil
        }
    }
}

extension LineChart.Reference: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "y": self.y
        case "labelY": self.labelY
        default: nil
        }
    }
}

extension Figure: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "bar": self.bar
        case "line": self.line
        case "table": self.table
        default: nil
        }
    }
}

extension TableCell.Link: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "href": self.href
        default: nil
        }
    }
}

extension TableCell.Frame: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "src": self.src
        case "title": self.title
        default: nil
        }
    }
}

extension TableColumn: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "numeric": self.numeric
        case "code": self.code
        default: nil
        }
    }
}

extension DataTable: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "caption": self.caption
        case "columns": self.columns
        case "bodyRows": self.bodyRows
        case "hasRows": self.hasRows
        case "emptyText": self.emptyText
        case "note": self.note
        case "csvPath": self.csvPath
        case "csvRecords": self.csvRecords
        default: nil
        }
    }
}

extension DataTable.RenderedCell: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "text": self.text
        case "tone": self.tone
        case "links": self.links
        case "frame": self.frame
        case "numeric": self.numeric
        case "code": self.code
        case "rowspan": self.rowspan
        case "spans": self.spans
        default: nil
        }
    }
}

extension DataTable.RenderedRow: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "cells": self.cells
        default: nil
        }
    }
}

extension JobsPage: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "stamp": self.stamp
        case "runsPerStep": self.runsPerStep
        case "sections": self.sections
        default: nil
        }
    }
}

extension JobsPage.StepSection: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "step": self.step
        case "anchor": self.anchor
        case "summary": self.summary
        case "figure": self.figure
        case "emptyText": self.emptyText
        default: nil
        }
    }
}

extension PageStamp: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "generatedAt": self.generatedAt
        case "runID": self.runID
        default: nil
        }
    }
}

extension Stat: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "value": self.value
        case "detail": self.detail
        case "tone": self.tone
        default: nil
        }
    }
}

extension OverviewPage: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "stamp": self.stamp
        case "runOutcome": self.runOutcome
        case "runFailed": self.runFailed
        case "dryRun": self.dryRun
        case "reportsMissing": self.reportsMissing
        case "freshness": self.freshness
        case "passes": self.passes
        case "metrics": self.metrics
        case "trend": self.trend
        case "steps": self.steps
        case "selfChecks": self.selfChecks
        case "selfCheckDetails": self.selfCheckDetails
        default: nil
        }
    }
}

extension InvestigationQuery: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "path": self.path
        case "sql": self.sql
        default: nil
        }
    }
}

extension ReconciliationPage: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "stamp": self.stamp
        case "windowDays": self.windowDays
        case "stats": self.stats
        case "trend": self.trend
        case "reasons": self.reasons
        case "products": self.products
        case "errorOrders": self.errorOrders
        case "malformed": self.malformed
        case "automaticRetries": self.automaticRetries
        case "investigations": self.investigations
        default: nil
        }
    }
}

extension AutomaticRetriesSection: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "stats": self.stats
        case "pending": self.pending
        case "confirmed": self.confirmed
        case "exhausted": self.exhausted
        default: nil
        }
    }
}

extension RunbookPage: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "stamp": self.stamp
        case "markdown": self.markdown
        default: nil
        }
    }
}

extension NotBuiltPage: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "stamp": self.stamp
        case "title": self.title
        case "message": self.message
        default: nil
        }
    }
}

extension EmailReviewPage: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "stamp": self.stamp
        case "dryRun": self.dryRun
        case "messages": self.messages
        case "gallery": self.gallery
        case "pagination": self.pagination
        default: nil
        }
    }
}

extension EmailReviewPage.GalleryLocale: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "locale": self.locale
        case "table": self.table
        default: nil
        }
    }
}

extension EmailReviewPage.Pagination: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "page": self.page
        case "previous": self.previous
        case "next": self.next
        default: nil
        }
    }
}

extension EmailReviewIndex: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "stamp": self.stamp
        case "dryRun": self.dryRun
        case "total": self.total
        case "hasMessages": self.hasMessages
        case "counts": self.counts
        case "pages": self.pages
        case "csvPath": self.csvPath
        default: nil
        }
    }
}

extension EmailReviewIndex.PageLink: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "href": self.href
        case "label": self.label
        default: nil
        }
    }
}
