//! "Download my data" (the Privacy tab): the zip the signed-in server
//! (a company's or the embedded one) makes of everything it holds about
//! the user, saved beside their other downloads under a dated name that
//! never replaces an earlier file.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tokio::io::AsyncWriteExt;

use crate::app::Desktop;
use crate::dto::SavedFile;
use crate::error::{IpcError, IpcResult};

const EXPORT: &str = "/api/privacy/export";

/// Where downloads go: the user's Downloads folder, or the app's data
/// directory on a system without one.
pub fn downloads_dir(data_dir: &Path) -> PathBuf {
    dirs::download_dir().unwrap_or_else(|| data_dir.to_path_buf())
}

impl Desktop {
    /// Fetches the user's data from their server into `dir` as
    /// `stint-my-data-YYYY-MM-DD.zip` (`-2`, `-3`… when taken). The
    /// session's client is held only until the server answers (it builds
    /// the zip first); the body is written a chunk at a time. A download
    /// cut short leaves no file behind.
    pub async fn download_my_data(&self, dir: &Path) -> IpcResult<SavedFile> {
        let (api, place) = self.client().await?;
        let response = {
            let mut api = api.lock().await;
            api.download(EXPORT)
                .await
                .map_err(|e| IpcError::from_api(&place, e))?
        };
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| cannot_save(dir, e))?;
        let today = chrono::Local::now().date_naive();
        let (path, mut file) = create_new(dir, today).await?;
        let written = copy(response, &mut file, &place).await;
        if let Err(e) = written {
            drop(file);
            let _ = tokio::fs::remove_file(&path).await;
            return Err(e);
        }
        tracing::info!(path = %path.display(), "saved My data");
        Ok(SavedFile {
            shown: shown(&path, dirs::home_dir().as_deref()),
            path: path.display().to_string(),
        })
    }
}

async fn copy(
    mut response: reqwest::Response,
    file: &mut tokio::fs::File,
    place: &str,
) -> IpcResult<()> {
    let cut = |e: reqwest::Error| {
        IpcError::new(
            "offline",
            format!("The download from {place} stopped ({e}); try again."),
        )
    };
    while let Some(chunk) = response.chunk().await.map_err(cut)? {
        file.write_all(&chunk)
            .await
            .map_err(|e| IpcError::internal(format!("Could not write your data: {e}")))?;
    }
    file.flush()
        .await
        .map_err(|e| IpcError::internal(format!("Could not write your data: {e}")))
}

/// The first free name of the day's file in `dir`, created empty, so a
/// download never replaces another file (even one saved a moment ago).
async fn create_new(dir: &Path, day: NaiveDate) -> IpcResult<(PathBuf, tokio::fs::File)> {
    for n in 1..1000 {
        let name = match n {
            1 => format!("stint-my-data-{day}.zip"),
            n => format!("stint-my-data-{day}-{n}.zip"),
        };
        let path = dir.join(name);
        match tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
        {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(cannot_save(dir, e)),
        }
    }
    Err(IpcError::conflict(format!(
        "{} already holds 999 downloads of today's data; move some away first.",
        dir.display()
    )))
}

fn cannot_save(dir: &Path, e: std::io::Error) -> IpcError {
    IpcError::internal(format!("Could not save in {}: {e}", dir.display()))
}

/// `path` as the window says it: under the home directory as `~/…`.
fn shown(path: &Path, home: Option<&Path>) -> String {
    match home.and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_home_are_shown_with_a_tilde() {
        let home = Path::new("/home/omar");
        assert_eq!(
            shown(Path::new("/home/omar/Downloads/a.zip"), Some(home)),
            "~/Downloads/a.zip"
        );
        assert_eq!(shown(Path::new("/tmp/a.zip"), Some(home)), "/tmp/a.zip");
        assert_eq!(shown(Path::new("/tmp/a.zip"), None), "/tmp/a.zip");
    }

    #[tokio::test]
    async fn a_taken_name_gets_the_next_number() {
        let dir = tempfile::tempdir().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let mut made = Vec::new();
        for _ in 0..3 {
            let (path, _) = create_new(dir.path(), day).await.unwrap();
            made.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
        assert_eq!(
            made,
            [
                "stint-my-data-2026-12-07.zip",
                "stint-my-data-2026-12-07-2.zip",
                "stint-my-data-2026-12-07-3.zip"
            ]
        );
    }
}
