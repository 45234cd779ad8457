import Foundation

/// The entries of one folder, read one at a time (`readdir`): a night's review copies are a quarter of a million
/// names, and neither a list of them (`contentsOfDirectory`) nor a tree walk's (`FileManager.enumerator`, which
/// reads each folder whole) is ever held in memory.
enum FolderEntries {
    /// Calls `body` with the name of each entry of the folder at `path` (not `.` and `..`) and whether it is a
    /// folder (a symbolic link is not followed). A folder that cannot be read has no entries.
    static func forEach(in path: String, _ body: (_ name: String, _ isFolder: Bool) throws -> Void) rethrows {
        guard let folder = opendir(path) else { return }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            guard let name = name(of: entry) else { continue }
            try body(name, isFolder(type: entry.pointee.d_type, path: path + "/" + name))
        }
    }

    /// True when the folder at `path` has at least one entry; reads only until it finds one.
    static func any(in path: String) -> Bool {
        guard let folder = opendir(path) else { return false }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            if name(of: entry) != nil { return true }
        }
        return false
    }

    /// The entry's name; nil for `.` and `..`.
    private static func name(of entry: UnsafeMutablePointer<dirent>) -> String? {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return name == "." || name == ".." ? nil : name
    }

    /// `d_type` when the file system fills it in, else `lstat`.
    private static func isFolder(type: UInt8, path: String) -> Bool {
        guard type == UInt8(DT_UNKNOWN) else { return type == UInt8(DT_DIR) }
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Removes the folder at `path` and everything in it, a name at a time (a symbolic link, `path` itself too, is
    /// removed, never followed); a folder already gone is no error. Throws the first failure as a `POSIXError`.
    static func removeTree(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            guard errno == ENOENT else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            return
        }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { return try removeFile(path) }
        try forEach(in: path) { name, isFolder in
            let entry = path + "/" + name
            try isFolder ? removeTree(entry) : removeFile(entry)
        }
        guard rmdir(path) == 0 || errno == ENOENT else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Removes the file (or symbolic link) at `path`; one already gone (another copy of the batch removed it) is
    /// no error. Throws the failure as a `POSIXError`.
    static func removeFile(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
