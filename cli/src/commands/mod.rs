//! One module per subcommand, each with its clap arguments and a `run` returning an
//! [`Outcome`](crate::error::Outcome). A new subcommand adds a module here and a variant
//! to [`Command`].

pub mod check;
pub mod diff;
pub mod dot;
pub mod fit;
pub mod grad;
pub mod read;
pub mod train;
pub mod walkthrough;

use clap::Subcommand;

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify every claim of .grad files.
    ///
    /// Each claim is proved, tested at points, or failed with a counterexample.
    #[command(after_help = check::EXAMPLES)]
    Check(check::CheckArgs),

    /// Values and gradient of a .grad file's loss, by the tape.
    ///
    /// The values of every quantity of the file and the gradient of its loss (or of
    /// --of NAME) from one reverse sweep of the tape.
    #[command(after_help = grad::EXAMPLES)]
    Grad(grad::GradArgs),

    /// The simplified symbolic derivatives of a .grad file's loss.
    ///
    /// The derivative of the file's loss (or of --of NAME) with respect to each --wrt
    /// NAME, simplified, as text or LaTeX.
    #[command(after_help = diff::EXAMPLES)]
    Diff(diff::DiffArgs),

    /// The graph of a .grad file's loss as Graphviz DOT.
    ///
    /// The graph of the file's loss (or of --of NAME), with each node's value and
    /// gradient from the tape.
    #[command(after_help = dot::EXAMPLES)]
    Dot(dot::DotArgs),

    /// Gradient descent on a .grad file's parameters for its loss.
    ///
    /// Plain gradient descent, w ← w − η ∂L/∂w, with the gradient from the tape at every
    /// step.
    #[command(after_help = fit::EXAMPLES)]
    Fit(fit::FitArgs),

    /// Print the .grad program read from a Markdown or LaTeX document.
    ///
    /// Each equation of the document as a statement, after a comment with its line and
    /// column; `gradproof check DOC` verifies the same program.
    #[command(after_help = read::EXAMPLES)]
    Read(read::ReadArgs),

    /// Train a network on xor, Iris or a CSV file.
    ///
    /// A fully connected network trained by gradient descent, with its gradient checked
    /// as it trains.
    #[command(after_help = train::EXAMPLES)]
    Train(train::TrainArgs),
}

impl Command {
    /// Runs the subcommand.
    pub fn run(self) -> crate::error::Outcome {
        match self {
            Command::Check(args) => check::run(args),
            Command::Grad(args) => grad::run(args),
            Command::Diff(args) => diff::run(args),
            Command::Dot(args) => dot::run(args),
            Command::Fit(args) => fit::run(args),
            Command::Read(args) => read::run(args),
            Command::Train(args) => train::run(args),
        }
    }
}
