import Foundation
import Testing
import TestSupport

@Suite("deploy/ and the Containerfile, checked by the real tools")
struct DeploymentFilesTests {
    /// The installed systemd units: the template service and one timer per schedule.
    struct Units {
        let folder: URL
        let timers: [String]

        init(_ tree: InstalledTree) throws {
            folder = tree.path("lib/systemd/system")
            timers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".timer") }.sorted()
        }

        /// The schedule of a timer file such as `checkout-nightly@recovery.timer`: `recovery`.
        func instance(_ timer: String) -> String {
            String(timer.dropFirst("checkout-nightly@".count).dropLast(".timer".count))
        }

        func service(_ instance: String) -> String { folder.appendingPathComponent("checkout-nightly@\(instance).service").path }
    }

    @Test func systemdVerifiesEveryTimerAndTheServiceItStarts() throws {
        let tree = try InstalledTree.prefixed()
        let units = try Units(tree)
        #expect(units.timers.map(units.instance) == ["all", "recovery", "reservation-retry", "stuck-carts"])
        let files = units.timers.flatMap { [units.folder.appendingPathComponent($0).path, units.service(units.instance($0))] }
        // verify also checks that ExecStart's binary exists and that the manual page named in Documentation= opens.
        let result = try runProcess(
            try requireTool("systemd-analyze"), ["verify"] + files,
            environment: ["MANPATH": tree.path("share/man").path + ":"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "verify warns: \(result.stderr)")
    }

    /// The installed manual lists every exit status the command line uses and no hidden subcommand (the generator
    /// alone writes only "0 or >0" and lists `bench-render`; scripts/finish-manual.py finishes it).
    @Test func theManualListsTheExitStatusesAndNoHiddenSubcommand() throws {
        let tree = try InstalledTree.prefixed()
        let manual = try String(contentsOf: tree.path("share/man/man1/checkout-nightly.1"), encoding: .utf8)
        let exitStatus = try #require(manual.components(separatedBy: ".Sh \"EXIT STATUS\"").last)
        let codes = exitStatus.split(separator: "\n").filter { $0.hasPrefix(".It ") }.map { $0.dropFirst(4) }
        #expect(codes == ["0", "1", "64", "69"], "\(exitStatus)")
        #expect(!manual.contains("bench-render"))
        #expect(manual.contains(".It Em run") && manual.contains(".It Em forget"))
    }

    @Test func theServiceRunsConfined() throws {
        let tree = try InstalledTree.prefixed()
        let units = try Units(tree)
        let service = units.service("all")
        // Exposure 2.0 of 10 at most (systemd's scale is tenths): "OK" in systemd-analyze's words.
        let security = try runProcess(
            try requireTool("systemd-analyze"), ["security", "--offline=yes", "--threshold=20", "--no-pager", service])
        #expect(security.status == 0, "\(security.stdout.split(separator: "\n").last ?? "")")

        let text = try String(contentsOfFile: units.folder.appendingPathComponent("checkout-nightly@.service").path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        func values(_ key: String) -> [String] { lines.filter { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } }
        #expect(values("ProtectSystem") == ["strict"])
        #expect(values("User").allSatisfy { $0 != "root" } && values("User").count == 1)
        let execStart = try #require(values("ExecStart").first).split(separator: " ").map(String.init)
        func argument(after flag: String) -> String? { execStart.firstIndex(of: flag).map { execStart[$0 + 1] } }
        let writable = try [#require(argument(after: "--output")), #require(argument(after: "--textfile-dir"))]
        #expect(values("ReadWritePaths").flatMap { $0.split(separator: " ").map(String.init) } == writable,
                "only the output and textfile folders are writable")
        #expect(values("LoadCredential") == ["pgpass:/etc/checkout-nightly/pgpass"])
        #expect(values("Environment").contains("PGPASSFILE=%d/pgpass"))
        #expect(!text.contains("PGPASSWORD"), "no password in the unit")
    }

    /// Every schedule, of systemd and of Kubernetes, names steps the binary accepts: it gets as far as the
    /// database (exit 69), never a configuration error (64).
    @Test func everyScheduleNamesStepsTheBinaryAccepts() throws {
        let units = try Units(try InstalledTree.prefixed())
        let cronJobs = try kubernetesObjects().filter { $0.kind == "CronJob" }
        let schedules = units.timers.map(units.instance) + cronJobs.map(\.only)
        #expect(Set(cronJobs.map(\.only)) == Set(units.timers.map(units.instance)))
        for only in schedules {
            let result = try runProcess(
                try checkoutNightlyBinary(), ["run", "--only", only, "--dry-run", "--output", try makeTemporaryDirectory("schedule").path],
                environment: ["PGHOST": "/nonexistent-socket-folder", "PGCONNECT_TIMEOUT": "1"])
            #expect(result.status == 69, "--only \(only): \(result.stderr)")
        }
    }

    /// deploy/crontab runs the timers' schedules as checkout-nightly@.service does: its user, environment file,
    /// output and textfile folders, and a log folder the README's setup creates.
    @Test func theCrontabMatchesTheService() throws {
        let systemd = Repository.root.appendingPathComponent("deploy/systemd")
        let service = try String(contentsOf: systemd.appendingPathComponent("checkout-nightly@.service"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        func value(_ key: String) throws -> String {
            try #require(service.first { $0.hasPrefix(key + "=") }).dropFirst(key.count + 1).description
        }
        let execStart = try value("ExecStart").split(separator: " ").map(String.init)
        func argument(after flag: String) throws -> String { try #require(execStart.firstIndex(of: flag).map { execStart[$0 + 1] }) }
        let environmentFile = String(try value("EnvironmentFile").drop { $0 == "-" })

        let crontab = try String(contentsOf: Repository.root.appendingPathComponent("deploy/crontab"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        func variable(_ name: String) -> String? { crontab.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) } }
        #expect(variable("CHECKOUT_NIGHTLY_OUTPUT") == (try argument(after: "--output")))
        #expect(variable("CHECKOUT_NIGHTLY_TEXTFILE_DIR") == (try argument(after: "--textfile-dir")))
        #expect(variable("CHECKOUT_NIGHTLY_CONFIG") == (try value("Environment").split(separator: "=", maxSplits: 1).last.map(String.init)))

        let schedules = crontab.filter { $0.first.map { $0.isNumber || $0 == "*" } == true }
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        var onlies: [String] = []
        for line in schedules {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(fields[5] == (try value("User")), "\(line)")
            #expect(line.contains(". \(environmentFile)"), "\(line) does not read \(environmentFile)")
            let log = try #require(fields.last { $0.hasPrefix(">>") }).dropFirst(2)
            let folder = URL(fileURLWithPath: String(log)).deletingLastPathComponent().path
            #expect(readme.contains("install -d -o \(try value("User")) -g \(try value("Group")) -m 0750 \(folder)"),
                    "README does not say how \(folder) is made")
            onlies += try #require(fields.firstIndex(of: "--only").map { [fields[$0 + 1]] })
        }
        let timers = try FileManager.default.contentsOfDirectory(atPath: systemd.path).filter { $0.hasSuffix(".timer") }
            .map { String($0.dropFirst("checkout-nightly@".count).dropLast(".timer".count)) }
        #expect(onlies.sorted() == timers.sorted())
    }

    /// A manifest object: its kind, name and, for a CronJob, the `--only` value of its container.
    struct KubernetesObject: Decodable {
        var kind: String
        var name: String
        var only: String
        var file: String
    }

    /// Every object of deploy/kubernetes, Lists expanded, each also written to a file of its own under `folder`.
    func kubernetesObjects(writingTo folder: URL? = nil) throws -> [KubernetesObject] {
        let script = """
            import json, os, sys, yaml
            out, objects = sys.argv[1], []
            for path in sorted(sys.argv[2:]):
                for document in yaml.safe_load_all(open(path)):
                    for item in document["items"] if document.get("kind") == "List" else [document]:
                        name = item["metadata"]["name"]
                        file = os.path.join(out, item["kind"] + "-" + name + ".yaml") if out else ""
                        if out:
                            yaml.safe_dump(item, open(file, "w"))
                        args = item.get("spec", {}).get("jobTemplate", {}).get("spec", {}).get("template", {}) \\
                            .get("spec", {}).get("containers", [{}])[0].get("args", [])
                        only = args[args.index("--only") + 1] if "--only" in args else ""
                        objects.append({"kind": item["kind"], "name": name, "only": only, "file": file})
            print(json.dumps(objects))
            """
        let manifests = try FileManager.default.contentsOfDirectory(
            atPath: Repository.root.appendingPathComponent("deploy/kubernetes").path
        ).filter { $0.hasSuffix(".yaml") }.map { Repository.root.appendingPathComponent("deploy/kubernetes/" + $0).path }
        let result = try runProcess(try requireTool("python3"), ["-c", script, folder?.path ?? ""] + manifests)
        guard result.status == 0 else { throw TestEnvironmentError("reading deploy/kubernetes failed: \(result.stderr)") }
        return try JSONDecoder().decode([KubernetesObject].self, from: Data(result.stdout.utf8))
    }

    @Test func kubernetesManifestsValidateStrictly() throws {
        let folder = try makeTemporaryDirectory("kubernetes")
        let objects = try kubernetesObjects(writingTo: folder)
        #expect(objects.filter { $0.kind == "CronJob" }.count == 4, "nightly, recovery, stuck carts, reservation retry")
        #expect(objects.contains { $0.kind == "ConfigMap" && $0.name == "checkout-nightly-config" })
        let result = try runProcess(try requireTool("kubernetes-validate"), ["--strict"] + objects.map(\.file))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("WARN"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.components(separatedBy: " passed for resource ").count - 1 == objects.count)
        let text = try objects.map { try String(contentsOfFile: $0.file, encoding: .utf8) }.joined()
        #expect(!text.contains("PGPASSWORD"), "the password comes from the Secret's file, never an environment variable")
    }

    /// The program appends `/cart/recover?token=…` and `/unsubscribe?token=…` to `recovery_base_url`
    /// (`RecoveryMessage.recoverURL`), so every example of it in deploy/ and the README is a storefront's root:
    /// https, a host, no path (the ConfigMap once shipped `…/cart/recover`, which made every link `…/cart/recover/cart/recover`).
    @Test func everyRecoveryBaseURLIsAStorefrontRoot() throws {
        let root = Repository.root
        let deploy = root.appendingPathComponent("deploy")
        let files = try #require(FileManager.default.subpaths(atPath: deploy.path)).map { deploy.appendingPathComponent($0) }
            + [root.appendingPathComponent("README.md")]
        var found: [String] = []
        for file in files {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), !isFolder.boolValue,
                  let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[0] == "recovery_base_url" else { continue }
                let place = "\(file.path.dropFirst(root.path.count + 1)): \(parts[1])"
                found.append(place)
                let url = URL(string: parts[1])
                #expect(url?.scheme == "https" && url?.host?.isEmpty == false, "\(place) is not an https URL with a host")
                #expect(url?.path.isEmpty == true && url?.query == nil,
                        "\(place) has a path or query; the program appends /cart/recover and /unsubscribe itself")
            }
        }
        #expect(found.contains { $0.hasPrefix("deploy/kubernetes/configmap.yaml") }, "\(found)")
    }

    /// The validation checks each CronJob of the List, not just the wrapper (which kubernetes-validate has no
    /// schema for and only warns about): a CronJob with a misspelt field fails it, naming the CronJob.
    @Test func aBrokenCronJobFailsTheValidation() throws {
        let folder = try makeTemporaryDirectory("kubernetes-broken")
        let cronJob = try #require(try kubernetesObjects(writingTo: folder).first { $0.kind == "CronJob" && $0.only == "recovery" })
        let text = try String(contentsOfFile: cronJob.file, encoding: .utf8)
        #expect(text.contains("backoffLimit:"))
        try text.replacingOccurrences(of: "backoffLimit:", with: "backofLimit:").write(toFile: cronJob.file, atomically: true, encoding: .utf8)
        let result = try runProcess(try requireTool("kubernetes-validate"), ["--strict", cronJob.file])
        #expect(result.status != 0, "\(result.stdout)\(result.stderr)")
        #expect((result.stdout + result.stderr).contains("cronjob/\(cronJob.name)"), "\(result.stdout)\(result.stderr)")
    }

    /// The Containerfile's runtime stage installs these Debian packages; every library the installed binary loads
    /// must come from them or what they depend on (the Swift runtime is linked in).
    @Test func theRuntimeStageHasEveryLibraryTheBinaryLoads() throws {
        let containerfile = try String(
            contentsOf: Repository.root.appendingPathComponent("Containerfile"), encoding: .utf8)
        let runtimeStage = try #require(containerfile.components(separatedBy: "\nFROM ").last)
        let install = try #require(runtimeStage.range(of: "--no-install-recommends "))
        let packages = runtimeStage[install.upperBound...].prefix { $0 != "\\" && $0 != "\n" }
            .split(separator: " ").map(String.init)
        #expect(packages.contains("libpq5") && packages.contains("libxml2"))

        let ldd = try runProcess(try requireTool("ldd"), [try InstalledTree.destdir().binary])
        #expect(ldd.status == 0 && !ldd.stdout.contains("not found"), "\(ldd.stdout)")
        let libraries = ldd.stdout.split(separator: "\n").compactMap { line -> String? in
            line.split(separator: " ").first { $0.hasPrefix("/") }.map(String.init)
        }
        #expect(libraries.count > 3)
        let closure = try runProcess(try requireTool("apt-cache"), [
            "depends", "--recurse", "--installed", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks",
            "--no-replaces", "--no-enhances",
        ] + packages).stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map(String.init)
        for library in libraries {
            let owner = try owningPackage(library)
            #expect(owner.map { closure.contains($0) } == true, "\(library) comes from \(owner ?? "no package"), not from the runtime stage's packages")
        }
    }

    /// The Debian package that installed `library` (merged /usr: the file may be registered with or without /usr).
    func owningPackage(_ library: String) throws -> String? {
        let real = URL(fileURLWithPath: library).resolvingSymlinksInPath().path
        let candidates = [library, real].flatMap { [$0, $0.hasPrefix("/usr/") ? String($0.dropFirst(4)) : "/usr" + $0] }
        for candidate in candidates {
            let result = try runProcess(try requireTool("dpkg-query"), ["-S", candidate])
            if result.status == 0, let package = result.stdout.split(separator: ":").first { return String(package) }
        }
        return nil
    }
}
