//! The one test suite every backend must pass. Work in progress.
