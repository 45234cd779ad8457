import Foundation

/// The output folder's lock (`<output>/.publish.lock`), held by one process at a time: a run that publishes holds
/// it from staging its release until the release is published or discarded, so runs that overlap publish one
/// after the other, each on top of the last, and never drop one another's pages or review copies; `forget` holds
/// it while it changes releases, so no run carries a forgotten message over. The kernel releases it when the
/// process dies.
public final class OutputLock {
    private var descriptor: Int32

    /// Takes the lock of `outputDirectory` (created if missing), calling `waiting` first when another process
    /// holds it.
    public init(outputDirectory: URL, waiting: () -> Void) throws {
        let path = outputDirectory.appendingPathComponent(".publish.lock").path
        func failure(_ doing: String) -> NightlyError {
            NightlyError.output(
                "cannot \(doing) the output folder's lock \(path): \(String(cString: strerror(errno))); check that the output folder (--output) is writable")
        }
        do {
            try AtomicFile.createFolder(outputDirectory)
        } catch {
            throw NightlyError.output(
                "cannot create the output folder \(outputDirectory.path): \(error.localizedDescription); check that the output folder (--output) is writable")
        }
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, AtomicFile.fileMode)
        guard descriptor >= 0 else { throw failure("open") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else { defer { release() }; throw failure("take") }
            waiting()
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else { defer { release() }; throw failure("take") }
            }
        }
    }

    /// Lets the next process in; calling it again does nothing.
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
