//! Files that hold personal data (exports, slips, photos, charts, backups, PDFs): created owner-only (0600) in
//! owner-only folders (0700) whatever the umask, and never written over unless the person asked for it.
//!
//! Every module that writes such a file goes through here, so the rule has one home.

use anyhow::Context as _;
use std::io::Write as _;
use std::path::Path;

/// What to do when the target file already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse with an error that names the file (the CLI's default: `--force` to replace).
    Refuse,
    /// Replace it (atomically: a reader never sees half a file).
    Replace,
}

/// The error for a file that exists and may not be replaced, so callers can tell it from an I/O fault.
#[derive(Debug, thiserror::Error)]
#[error("{path} already exists")]
pub struct AlreadyExists {
    pub path: String,
}

/// Create `dir` and its missing parents as 0700. Folders that already exist keep their mode (an IT teacher
/// may have chosen a shared one on purpose); `check_private` reports them.
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).with_context(|| format!("cannot create folder {}", dir.display()))
}

/// Write `bytes` to `path` as a private file. The bytes go to a temporary file beside it first and are renamed
/// into place, so a crash never leaves half a file under the real name.
pub fn write_private(path: &Path, bytes: &[u8], overwrite: Overwrite) -> anyhow::Result<()> {
    if overwrite == Overwrite::Refuse && path.exists() {
        return Err(AlreadyExists { path: path.display().to_string() }.into());
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{file_name}.{}.part", std::process::id()));
    let result = (|| {
        let mut file = open_new_private(&temp)?;
        file.write_all(bytes).with_context(|| format!("cannot write {}", temp.display()))?;
        file.sync_all().with_context(|| format!("cannot flush {}", temp.display()))?;
        if overwrite == Overwrite::Refuse && path.exists() {
            return Err(AlreadyExists { path: path.display().to_string() }.into());
        }
        std::fs::rename(&temp, path).with_context(|| format!("cannot move {} into place", path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Create a new, empty private file (fails if it exists).
pub fn open_new_private(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).with_context(|| format!("cannot create {}", path.display()))
}

/// Make an existing file owner-only (0600): for files another library created (a download, a database).
pub fn make_private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot make {} private", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Whether a file or folder can be read by people other than its owner (group or others bits set).
#[cfg(unix)]
pub fn is_shared(path: &Path) -> std::io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
pub fn is_shared(_path: &Path) -> std::io::Result<bool> {
    Ok(false)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0)
    }

    #[test]
    fn files_and_folders_are_private_and_not_overwritten() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("a/b/export.xlsx");
        write_private(&path, b"one", Overwrite::Refuse).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&root.path().join("a")), 0o700);
        assert_eq!(mode(&root.path().join("a/b")), 0o700);
        let err = write_private(&path, b"two", Overwrite::Refuse).unwrap_err();
        assert!(err.downcast_ref::<AlreadyExists>().is_some());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_private(&path, b"two", Overwrite::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(mode(&path), 0o600);
        // No temporary files left behind.
        assert_eq!(std::fs::read_dir(root.path().join("a/b")).unwrap().count(), 1);
        assert!(!is_shared(&path).unwrap());
    }
}
