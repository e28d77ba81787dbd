//! A zip archive written on a blocking thread into an unnamed temp file,
//! fed from async code over a bounded channel: the "My data" export
//! reads the store and the blob store page by page and hands each page
//! here, so neither a year of screenshots nor the zip's own buffers sit
//! in the server's memory, and no async worker blocks on disk writes.

use std::fs::File;
use std::io::{self, Seek, Write};

use tokio::sync::mpsc;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

/// Messages in flight between the reader and the writer: a few pages.
const QUEUE: usize = 8;

enum Part {
    /// A new entry; `compress` false for what is compressed already (JPEG).
    Start {
        name: String,
        compress: bool,
    },
    Bytes(Vec<u8>),
}

/// The async end: entries are written in the order they are started.
pub struct ZipSink {
    tx: mpsc::Sender<Part>,
    writer: tokio::task::JoinHandle<io::Result<File>>,
}

impl ZipSink {
    /// A new archive in a temp file that disappears when its last handle
    /// closes (after the download, or at once on failure).
    pub fn new() -> io::Result<ZipSink> {
        let file = tempfile::tempfile()?;
        let (tx, mut rx) = mpsc::channel::<Part>(QUEUE);
        let writer = tokio::task::spawn_blocking(move || {
            let mut zip = ZipWriter::new(file);
            while let Some(part) = rx.blocking_recv() {
                match part {
                    Part::Start { name, compress } => {
                        let method = if compress {
                            CompressionMethod::Deflated
                        } else {
                            CompressionMethod::Stored
                        };
                        let options = SimpleFileOptions::default()
                            .compression_method(method)
                            .large_file(false);
                        zip.start_file(name, options).map_err(io::Error::other)?;
                    }
                    Part::Bytes(b) => zip.write_all(&b)?,
                }
            }
            let mut file = zip.finish().map_err(io::Error::other)?;
            file.flush()?;
            file.rewind()?;
            Ok(file)
        });
        Ok(ZipSink { tx, writer })
    }

    /// Starts the entry `name` (compressed unless `compress` is false).
    pub async fn start(&self, name: impl Into<String>, compress: bool) -> io::Result<()> {
        self.send(Part::Start {
            name: name.into(),
            compress,
        })
        .await
    }

    /// Appends to the entry last started.
    pub async fn write(&self, bytes: impl Into<Vec<u8>>) -> io::Result<()> {
        self.send(Part::Bytes(bytes.into())).await
    }

    /// A whole entry at once.
    pub async fn entry(
        &self,
        name: impl Into<String>,
        compress: bool,
        bytes: impl Into<Vec<u8>>,
    ) -> io::Result<()> {
        self.start(name, compress).await?;
        self.write(bytes).await
    }

    /// The finished archive, positioned at its start.
    pub async fn finish(self) -> io::Result<File> {
        drop(self.tx);
        self.writer.await.map_err(io::Error::other)?
    }

    /// A send fails only when the writer stopped on an error: that error
    /// is the one to report.
    async fn send(&self, part: Part) -> io::Result<()> {
        if self.tx.send(part).await.is_ok() {
            return Ok(());
        }
        Err(io::Error::other("the zip writer stopped"))
    }
}

/// A JSON array written element by element, so a list read a page at a
/// time never has to be whole in memory.
pub struct JsonArray<'a> {
    sink: &'a ZipSink,
    first: bool,
}

impl<'a> JsonArray<'a> {
    /// Starts entry `name` with `[`.
    pub async fn start(sink: &'a ZipSink, name: &str) -> io::Result<JsonArray<'a>> {
        sink.start(name, true).await?;
        sink.write(b"[".to_vec()).await?;
        Ok(JsonArray { sink, first: true })
    }

    /// One page of elements, one per line.
    pub async fn page<T: serde::Serialize>(&mut self, items: &[T]) -> io::Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let mut buf = Vec::with_capacity(items.len() * 256);
        for item in items {
            buf.extend_from_slice(if self.first { b"\n" } else { b",\n" });
            self.first = false;
            serde_json::to_writer(&mut buf, item)?;
        }
        self.sink.write(buf).await
    }

    /// Closes the array.
    pub async fn end(self) -> io::Result<()> {
        self.sink.write(b"\n]\n".to_vec()).await
    }
}
