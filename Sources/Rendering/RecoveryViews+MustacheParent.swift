import Mustache
import NightlyCore

// The e-mail and push view models as swift-mustache reads them: by name, without `Mirror` reflection, which
// cost more than everything else of a rendering. Every stored property is listed; `ContextParityTests` checks
// each list against the properties themselves, so a new property cannot be forgotten here.

extension RecoveryEmailView: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "firstName": firstName
        case "items": items
        case "moreItems": moreItems
        case "total": total
        case "code": code
        case "percent": percent
        case "expiry": expiry
        case "recoverURL": recoverURL
        case "unsubscribeURL": unsubscribeURL
        case "shopName": shopName
        case "postalAddress": postalAddress
        case "subject": subject
        case "preheader": preheader
        default: nil
        }
    }
}

extension RecoveryEmailView.Item: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "quantity": quantity
        case "unitPrice": unitPrice
        case "lineTotal": lineTotal
        case "unavailable": unavailable
        case "image": image
        default: nil
        }
    }
}

extension RecoveryEmailView.Image: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "url": url
        case "alt": alt
        case "width": width
        case "height": height
        default: nil
        }
    }
}

extension RecoveryEmailView.MoreItems: MustacheParent {
    public func child(named name: String) -> Any? {
        name == "count" ? count : nil
    }
}

extension RecoveryPushView: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "firstName": firstName
        case "itemCount": itemCount
        case "singleItem": singleItem
        case "firstItemName": firstItemName
        case "total": total
        case "shopName": shopName
        default: nil
        }
    }
}
