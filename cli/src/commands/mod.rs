//! One module per subcommand, each with its clap arguments and a `run` returning an
//! [`Outcome`](crate::error::Outcome). A new subcommand adds a module here and a variant
//! to [`Command`].

pub mod train;
pub mod walkthrough;

use clap::Subcommand;

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train a network on xor, Iris or a CSV file, with its gradient checked as it
    /// trains.
    #[command(after_help = train::EXAMPLES)]
    Train(train::TrainArgs),
}

impl Command {
    /// Runs the subcommand.
    pub fn run(self) -> crate::error::Outcome {
        match self {
            Command::Train(args) => train::run(args),
        }
    }
}
