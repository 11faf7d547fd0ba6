//! Reading a data set from CSV text: a header row naming the columns, one row per
//! sample, one column holding the class label and every other column a numeric feature.
//!
//! The reader follows RFC 4180: cells separated by commas, records by line breaks
//! (`\n` or `\r\n`), a cell in double quotes may hold commas, line breaks and doubled
//! quotes (`""`). Blank lines hold no record and are passed over. Cells are trimmed of
//! surrounding spaces before they are read as numbers. Nothing is dropped silently: a
//! cell that is empty, not a number, NaN or infinite, a row of the wrong length, a
//! missing label column, all are errors naming the line and column.

use super::dataset::Dataset;
use super::error::{CsvError, CsvErrorKind};

/// A data set from CSV bytes (a file's content), named `name`: [`from_csv`] after
/// checking that the bytes are UTF-8 text (a leading byte-order mark is skipped).
///
/// # Errors
///
/// [`CsvErrorKind::NotUtf8`] with the line and byte of the first invalid byte, or as
/// [`from_csv`].
pub fn from_csv_bytes(name: &str, bytes: &[u8], label: Option<&str>) -> Result<Dataset, CsvError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => from_csv(name, text, label),
        Err(e) => {
            let byte = e.valid_up_to();
            let line = 1 + bytes[..byte].iter().filter(|&&b| b == b'\n').count();
            Err(CsvError {
                line,
                column: None,
                kind: CsvErrorKind::NotUtf8 { byte },
            })
        }
    }
}

/// A data set from CSV text, named `name`, with its class labels in the column named
/// `label` (the last column when `None`) and its features in all the others.
///
/// Classes are the label column's distinct values (compared as trimmed text), sorted:
/// numerically when every label is a number, else alphabetically.
///
/// ```
/// use gradproof::nn::data::{from_csv, CsvErrorKind};
///
/// let text = "x,y,colour\n0.5,1,red\n-1,2e-1,blue\n";
/// let data = from_csv("points", text, Some("colour"))?;
/// assert_eq!(data.classes(), ["blue", "red"]);
/// assert_eq!(data.inputs()[1], [-1.0, 0.2]);
/// assert_eq!(data.labels(), [1, 0]);
///
/// let err = from_csv("points", "x,y,colour\n0.5,one,red\n0,1,blue\n", None).unwrap_err();
/// assert_eq!((err.line, err.column.clone()), (2, Some((2, "y".to_string()))));
/// assert_eq!(err.to_string(), "line 2, column 2 (`y`): `one` is not a number; feature columns must be numeric");
/// # Ok::<(), gradproof::nn::data::CsvError>(())
/// ```
///
/// # Errors
///
/// A [`CsvError`] for the first problem found, reading from the top.
pub fn from_csv(name: &str, text: &str, label: Option<&str>) -> Result<Dataset, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Records::new(text);
    let (header_line, header) = records.next().transpose()?.ok_or(CsvError {
        line: 1,
        column: None,
        kind: CsvErrorKind::Empty,
    })?;
    let at_header = |column: usize, kind| CsvError {
        line: header_line,
        column: Some((column + 1, String::new())),
        kind,
    };
    let header: Vec<String> = header.into_iter().map(|h| h.trim().to_string()).collect();
    for (column, cell) in header.iter().enumerate() {
        if cell.is_empty() {
            return Err(at_header(column, CsvErrorKind::EmptyColumnName));
        }
        if header[..column].contains(cell) {
            return Err(at_header(
                column,
                CsvErrorKind::DuplicateColumn(cell.clone()),
            ));
        }
    }
    let label_column = match label {
        None => header.len() - 1,
        Some(name) => header
            .iter()
            .position(|h| h == name.trim())
            .ok_or_else(|| CsvError {
                line: header_line,
                column: None,
                kind: CsvErrorKind::NoSuchColumn {
                    name: name.to_string(),
                    available: header.clone(),
                },
            })?,
    };
    if header.len() < 2 {
        return Err(CsvError {
            line: header_line,
            column: None,
            kind: CsvErrorKind::NoFeatures,
        });
    }

    let mut inputs = Vec::new();
    let mut label_texts = Vec::new();
    let mut last_line = header_line;
    for record in records {
        let (line, cells) = record.map_err(|mut e| {
            if let Some((column, name)) = &mut e.column {
                if let Some(h) = header.get(*column - 1) {
                    name.clone_from(h);
                }
            }
            e
        })?;
        last_line = line;
        if cells.len() != header.len() {
            return Err(CsvError {
                line,
                column: None,
                kind: CsvErrorKind::WrongFieldCount {
                    expected: header.len(),
                    found: cells.len(),
                },
            });
        }
        let at = |column: usize, kind| CsvError {
            line,
            column: Some((column + 1, header[column].clone())),
            kind,
        };
        let mut row = Vec::with_capacity(header.len() - 1);
        for (column, cell) in cells.iter().enumerate() {
            let cell = cell.trim();
            if cell.is_empty() {
                return Err(at(column, CsvErrorKind::MissingValue));
            }
            if column == label_column {
                label_texts.push(cell.to_string());
                continue;
            }
            match cell.parse::<f64>() {
                Ok(v) if v.is_finite() => row.push(v),
                Ok(_) => return Err(at(column, CsvErrorKind::NotFinite(cell.to_string()))),
                Err(_) => return Err(at(column, CsvErrorKind::NotANumber(cell.to_string()))),
            }
        }
        inputs.push(row);
    }
    if inputs.is_empty() {
        return Err(CsvError {
            line: last_line + 1,
            column: None,
            kind: CsvErrorKind::NoRows,
        });
    }

    let classes = sorted_classes(&label_texts);
    if classes.len() < 2 {
        return Err(CsvError {
            line: header_line,
            column: Some((label_column + 1, header[label_column].clone())),
            kind: CsvErrorKind::OneClass(classes[0].clone()),
        });
    }
    let labels = label_texts
        .iter()
        .map(|t| {
            classes
                .iter()
                .position(|c| c == t)
                .expect("every label text is one of the classes")
        })
        .collect();
    let feature_names = header
        .iter()
        .enumerate()
        .filter(|&(c, _)| c != label_column)
        .map(|(_, h)| h.clone())
        .collect();
    Ok(Dataset::new(name, feature_names, classes, inputs, labels)
        .expect("rows were checked while reading: rectangular, finite, labelled"))
}

/// The distinct label texts, sorted numerically when all are numbers, else as text.
fn sorted_classes(labels: &[String]) -> Vec<String> {
    let mut classes: Vec<String> = labels.to_vec();
    classes.sort();
    classes.dedup();
    let numbers: Option<Vec<f64>> = classes.iter().map(|c| c.parse().ok()).collect();
    if let Some(numbers) = numbers {
        let mut paired: Vec<(f64, String)> = numbers.into_iter().zip(classes).collect();
        paired.sort_by(|a, b| a.0.total_cmp(&b.0));
        classes = paired.into_iter().map(|(_, c)| c).collect();
    }
    classes
}

/// The records of a CSV text, each with the line it starts on; blank lines skipped.
struct Records<'a> {
    rest: &'a str,
    line: usize,
}

impl<'a> Records<'a> {
    fn new(text: &'a str) -> Self {
        Records {
            rest: text,
            line: 1,
        }
    }

    /// Reads one record starting at `self.rest`, moving past its line break.
    fn record(&mut self) -> Result<Vec<String>, CsvError> {
        let start_line = self.line;
        let mut cells = Vec::new();
        let mut chars = self.rest.char_indices().peekable();
        let mut cell = String::new();
        let mut quoted = false; // inside quotes
        let mut was_quoted = false; // this cell was a quoted one, now closed
        let stray = |line| CsvError {
            line,
            column: None,
            kind: CsvErrorKind::StrayQuote,
        };
        loop {
            let Some((i, c)) = chars.next() else {
                if quoted {
                    return Err(CsvError {
                        line: start_line,
                        column: Some((cells.len() + 1, String::new())),
                        kind: CsvErrorKind::UnterminatedQuote,
                    });
                }
                cells.push(cell);
                self.rest = "";
                return Ok(cells);
            };
            if quoted {
                match c {
                    '"' if chars.peek().map(|&(_, n)| n) == Some('"') => {
                        chars.next();
                        cell.push('"');
                    }
                    '"' => {
                        quoted = false;
                        was_quoted = true;
                    }
                    '\n' => {
                        self.line += 1;
                        cell.push(c);
                    }
                    _ => cell.push(c),
                }
                continue;
            }
            match c {
                ',' => {
                    cells.push(std::mem::take(&mut cell));
                    was_quoted = false;
                }
                '\n' | '\r' => {
                    if c == '\r' && chars.peek().map(|&(_, n)| n) != Some('\n') {
                        cell.push(c);
                        continue;
                    }
                    let end = if c == '\r' { i + 2 } else { i + 1 };
                    self.line += 1;
                    cells.push(cell);
                    self.rest = &self.rest[end..];
                    return Ok(cells);
                }
                '"' if cell.trim().is_empty() && !was_quoted => {
                    cell.clear();
                    quoted = true;
                }
                '"' => return Err(stray(self.line)),
                _ if was_quoted && !c.is_whitespace() => return Err(stray(self.line)),
                _ => cell.push(c),
            }
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Result<(usize, Vec<String>), CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let line = self.line;
            match self.record() {
                Err(e) => {
                    self.rest = "";
                    return Some(Err(e));
                }
                // A blank line: one empty, unquoted cell.
                Ok(cells) if cells.len() == 1 && cells[0].trim().is_empty() => continue,
                Ok(cells) => return Some(Ok((line, cells))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str, label: Option<&str>) -> (usize, Option<(usize, String)>, CsvErrorKind) {
        let e = from_csv("t", text, label).unwrap_err();
        (e.line, e.column, e.kind)
    }

    fn col(n: usize, name: &str) -> Option<(usize, String)> {
        Some((n, name.to_string()))
    }

    #[test]
    fn quoted_cells_hold_commas_quotes_and_line_breaks() {
        let text = "a,\"the, label\"\r\n1,\"x \"\"1\"\"\"\r\n\"2\",\"y\ny\"\n3,x \"1\"\n";
        // The last row has a quote inside an unquoted cell: an error on its line.
        assert_eq!(kind(text, None).0, 5);
        assert_eq!(kind(text, None).2, CsvErrorKind::StrayQuote);
        let text = "a,\"the, label\"\r\n1,\"x \"\"1\"\"\"\r\n\"2\",\"y\ny\"\n";
        let data = from_csv("t", text, Some("the, label")).unwrap();
        assert_eq!(data.classes(), ["x \"1\"", "y\ny"]);
        assert_eq!(data.inputs(), [vec![1.0], vec![2.0]]);
    }

    #[test]
    fn blank_lines_are_skipped_and_line_numbers_stay_true() {
        let text = "a,b,c\n\n1,2,x\n\n3,zwei,y\n";
        assert_eq!(
            kind(text, None),
            (5, col(2, "b"), CsvErrorKind::NotANumber("zwei".into()))
        );
    }

    #[test]
    fn every_bad_cell_is_named_by_line_and_column() {
        let h = "a,b,c\n";
        assert_eq!(
            kind(&format!("{h}1,,x\n"), None),
            (2, col(2, "b"), CsvErrorKind::MissingValue)
        );
        assert_eq!(
            kind(&format!("{h}1,2,\n"), None),
            (2, col(3, "c"), CsvErrorKind::MissingValue)
        );
        assert_eq!(
            kind(&format!("{h}1,NaN,x\n"), None).2,
            CsvErrorKind::NotFinite("NaN".into())
        );
        assert_eq!(
            kind(&format!("{h}1,-inf,x\n"), None).2,
            CsvErrorKind::NotFinite("-inf".into())
        );
        assert_eq!(
            kind(&format!("{h}1,1e999,x\n"), None).2,
            CsvErrorKind::NotFinite("1e999".into())
        );
        assert_eq!(
            kind(&format!("{h}1,2,x\n1,2\n"), None),
            (
                3,
                None,
                CsvErrorKind::WrongFieldCount {
                    expected: 3,
                    found: 2
                }
            )
        );
        assert_eq!(
            kind(&format!("{h}1,2,x,4\n"), None).2,
            CsvErrorKind::WrongFieldCount {
                expected: 3,
                found: 4
            }
        );
        assert_eq!(
            kind(&format!("{h}1,\"2,x\n"), None),
            (2, col(2, "b"), CsvErrorKind::UnterminatedQuote)
        );
    }

    #[test]
    fn header_problems_are_errors() {
        assert_eq!(kind("", None), (1, None, CsvErrorKind::Empty));
        assert_eq!(kind("\n\n  \n", None).2, CsvErrorKind::Empty);
        assert_eq!(kind("a,b\n", None), (2, None, CsvErrorKind::NoRows));
        assert_eq!(
            kind("a,,c\n1,2,x\n", None),
            (1, col(2, ""), CsvErrorKind::EmptyColumnName)
        );
        assert_eq!(
            kind("a,b,a\n1,2,x\n", None).2,
            CsvErrorKind::DuplicateColumn("a".into())
        );
        assert_eq!(kind("label\nx\ny\n", None).2, CsvErrorKind::NoFeatures);
        assert_eq!(
            kind("a,b\n1,x\n", Some("species")).2,
            CsvErrorKind::NoSuchColumn {
                name: "species".into(),
                available: vec!["a".into(), "b".into()]
            }
        );
        assert_eq!(
            kind("a,b\n1,x\n2,x\n", None),
            (1, col(2, "b"), CsvErrorKind::OneClass("x".into()))
        );
    }

    #[test]
    fn the_label_column_can_be_anywhere_and_numeric_labels_sort_as_numbers() {
        let data = from_csv("t", "class,a,b\n10,1,2\n9,3,4\n10.0,5,6\n", Some("class")).unwrap();
        assert_eq!(data.feature_names(), ["a", "b"]);
        // "10" and "10.0" are different texts, hence different classes.
        assert_eq!(data.classes(), ["9", "10", "10.0"]);
        assert_eq!(data.labels(), [1, 0, 2]);
        assert_eq!(data.inputs()[2], [5.0, 6.0]);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_named_by_line_and_byte() {
        let e = from_csv_bytes("t", b"a,b\n1,x\n\xff\xfe\x00garbage", None).unwrap_err();
        assert_eq!((e.line, e.kind), (3, CsvErrorKind::NotUtf8 { byte: 8 }));
        let with_bom = "\u{feff}a,b\n1,x\n2,y\n";
        assert_eq!(
            from_csv_bytes("t", with_bom.as_bytes(), None)
                .unwrap()
                .feature_names(),
            ["a"]
        );
    }
}
