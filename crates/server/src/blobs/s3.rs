//! Blobs in S3-compatible object storage, for several `stint serve`
//! replicas behind one load balancer: whichever replica took an upload,
//! every replica can serve and delete it.
//!
//! Through the `object_store` crate (Apache Arrow's, used by DataFusion,
//! Delta Lake and others): one small, kept client for S3 and its clones
//! (MinIO, Ceph, R2, moto) that reads the standard `AWS_*` variables, signs
//! requests and retries, instead of the whole AWS SDK.
//!
//! The bucket stays private: images are only ever served through the
//! server, which checks who may see them (and records the views).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStoreExt, PutPayload, RetryConfig};

use super::Blobs;

/// Where `--blobs` puts screenshots: `s3://BUCKET[/PREFIX]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    /// Without leading or trailing slashes; empty for the bucket's root.
    pub prefix: String,
}

impl FromStr for S3Url {
    type Err = String;

    /// Refuses anything but `s3://BUCKET[/PREFIX]` with a message saying
    /// what was expected, so a typo stops `stint serve` at start rather
    /// than at the first upload.
    fn from_str(s: &str) -> Result<S3Url, String> {
        let expected = "expected s3://BUCKET or s3://BUCKET/PREFIX (leave --blobs unset \
                        to keep screenshots in the data directory)";
        let Some(rest) = s.trim().strip_prefix("s3://") else {
            return Err(format!("'{s}' is not an object store URL: {expected}"));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = !bucket.is_empty()
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
        if !valid_bucket {
            return Err(format!("'{s}' names no valid bucket: {expected}"));
        }
        let prefix = prefix.trim_matches('/');
        if Path::parse(prefix).is_err() {
            return Err(format!("'{s}' has an invalid prefix: {expected}"));
        }
        Ok(S3Url {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        })
    }
}

/// Blobs as objects under one prefix of one bucket.
pub struct S3Blobs {
    store: PrefixStore<AmazonS3>,
}

impl std::fmt::Debug for S3Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "S3Blobs({})", self.store)
    }
}

impl S3Blobs {
    /// The bucket of `url`, with endpoint, region and credentials from the
    /// standard variables (`AWS_ENDPOINT`, `AWS_ALLOW_HTTP`, `AWS_REGION`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, ...; see
    /// [`AmazonS3Builder::from_env`]). Nothing is contacted yet: `/readyz`
    /// says whether the bucket answers.
    pub fn from_env(url: &S3Url) -> std::io::Result<S3Blobs> {
        // The crate's default retries for up to three minutes; an upload
        // must answer within the server's request timeout, and a replica
        // whose store is down should say so (503) rather than hang.
        let retry = RetryConfig {
            max_retries: 3,
            retry_timeout: Duration::from_secs(15),
            ..RetryConfig::default()
        };
        let s3 = AmazonS3Builder::from_env()
            .with_bucket_name(&url.bucket)
            .with_retry(retry)
            .build()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        Ok(S3Blobs {
            store: PrefixStore::new(s3, url.prefix.as_str()),
        })
    }
}

/// The object path of a key; keys are built by the server, so a bad one is
/// a bug, reported rather than mangled.
fn path(key: &str) -> std::io::Result<Path> {
    Path::parse(key).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("bad blob key {key:?}: {e}"),
        )
    })
}

#[async_trait]
impl Blobs for S3Blobs {
    /// One PUT: S3 shows a whole object or none.
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let payload = PutPayload::from(bytes.to_vec());
        self.store.put(&path(key)?, payload).await?;
        Ok(())
    }

    async fn get(&self, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        match self.store.get(&path(key)?).await {
            Ok(found) => Ok(Some(found.bytes().await?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn delete(&self, key: &str) -> std::io::Result<()> {
        match self.store.delete(&path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_bucket_and_an_optional_prefix() {
        let u: S3Url = "s3://shots/stint/prod/".parse().unwrap();
        assert_eq!(
            (u.bucket.as_str(), u.prefix.as_str()),
            ("shots", "stint/prod")
        );
        let u: S3Url = "s3://shots".parse().unwrap();
        assert_eq!((u.bucket.as_str(), u.prefix.as_str()), ("shots", ""));
        for bad in [
            "gs://shots/x",
            "/var/lib/stint",
            "s3://",
            "s3:///prefix",
            "s3://Bad Bucket",
        ] {
            let e = bad.parse::<S3Url>().unwrap_err();
            assert!(e.contains("s3://BUCKET"), "{bad}: {e}");
        }
    }
}
