//! The flags that choose how a command reports, written once and flattened into every
//! command that has them: `--json` alone for the commands that print one result
//! (`grad`, `diff`, `dot`, `check`), and [`OutputArgs`] (`--json`, `--quiet`, `--plot`)
//! for the commands that run for a while and draw a curve (`fit`, `train`).

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::error::CliError;

/// `--json`.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print one JSON document on stdout and nothing else there.
    #[arg(long)]
    pub json: bool,
}

/// `--json`, `--quiet` and `--plot`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Print one JSON document on stdout and nothing else there.
    #[arg(long)]
    pub json: bool,

    /// No progress bar and no table while it runs; the summary still prints.
    #[arg(long)]
    pub quiet: bool,

    /// Draw the curves into an SVG file (checked before the run starts).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

impl OutputArgs {
    /// Checks that `--plot`'s file can be written, before any work: a bad path found
    /// after a long run would lose the run.
    pub fn check_plot(&self) -> Result<(), CliError> {
        match &self.plot {
            Some(path) => writable(path),
            None => Ok(()),
        }
    }
}

/// `Ok` when a file can be created (or overwritten) at `path`: its folder exists, it is
/// not a folder, and opening it for writing succeeds. A file this creates is removed
/// again, so that a run that fails later leaves nothing behind.
fn writable(path: &Path) -> Result<(), CliError> {
    let shown = path.display();
    let error = |why: String| {
        CliError::input(format!("--plot {shown}: {why}"))
            .hint("--plot takes the path of an SVG file in a folder that exists, like loss.svg")
    };
    if path.as_os_str().is_empty() {
        return Err(error("the path is empty".into()));
    }
    if path.is_dir() {
        return Err(error("this is a folder, not a file".into()));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(error(format!(
            "the folder `{}` does not exist",
            folder.display()
        )));
    }
    let existed = path.exists();
    // Opened without truncating: an existing file is only overwritten once the plot is
    // drawn.
    match OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
    {
        Ok(file) => {
            drop(file);
            if !existed {
                let _ = std::fs::remove_file(path);
            }
            Ok(())
        }
        Err(e) => Err(error(format!("cannot write the file: {e}"))),
    }
}
