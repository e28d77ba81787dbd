//! Never-capture rules: while a listed application (or a window whose
//! title matches) is in front, no screenshot is taken, or a blurred one
//! where the rule says so, and the activity slot says "private
//! application" instead of its name.
//!
//! A list is comma-separated, as a person types it in the settings or
//! `stint track --never-capture`:
//! - `keepassxc`: the application whose class (X11's WM_CLASS; the process
//!   name elsewhere) is that, ignoring case;
//! - `title:bank`: any window whose title contains "bank", ignoring case;
//! - `blur:` before either: a blurred screenshot instead of none.

/// What the slot records for a private application's seconds.
pub const PRIVATE_APP: &str = "private application";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Match {
    App(String),
    Title(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    what: Match,
    blur: bool,
}

/// A screenshot's fate under the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Capture,
    Blur,
    Skip,
}

/// The rules in force (the organization's and the person's together).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivateApps(Vec<Rule>);

/// The longest list accepted: a rule is a name, not a document.
const MAX_RULES: usize = 100;
const MAX_RULE_CHARS: usize = 200;

impl PrivateApps {
    /// Parses a comma-separated list; a bad entry is named.
    pub fn parse(list: &str) -> Result<PrivateApps, String> {
        let mut rules = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if entry.chars().count() > MAX_RULE_CHARS {
                return Err(format!(
                    "never-capture entry longer than {MAX_RULE_CHARS} characters"
                ));
            }
            let lower = entry.to_lowercase();
            let (blur, rest) = match lower.strip_prefix("blur:") {
                Some(r) => (true, r.trim()),
                None => (false, lower.as_str()),
            };
            let what = match rest.strip_prefix("title:") {
                Some(t) => Match::Title(t.trim().to_string()),
                None => Match::App(rest.to_string()),
            };
            if matches!(&what, Match::App(s) | Match::Title(s) if s.is_empty()) {
                return Err(format!("never-capture entry '{entry}' names nothing"));
            }
            rules.push(Rule { what, blur });
        }
        if rules.len() > MAX_RULES {
            return Err(format!("at most {MAX_RULES} never-capture entries"));
        }
        Ok(PrivateApps(rules))
    }

    /// Both lists' rules.
    pub fn and(mut self, other: &PrivateApps) -> PrivateApps {
        self.0.extend(other.0.iter().cloned());
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What a screenshot of the window in front may be: a rule that skips
    /// wins over one that blurs.
    pub fn verdict(&self, app: Option<&str>, title: Option<&str>) -> Verdict {
        let app = app.map(str::to_lowercase);
        let title = title.map(str::to_lowercase);
        let hits = self.0.iter().filter(|r| match &r.what {
            Match::App(a) => app.as_deref() == Some(a.as_str()),
            Match::Title(t) => title.as_deref().is_some_and(|w| w.contains(t.as_str())),
        });
        hits.fold(Verdict::Capture, |v, r| match (v, r.blur) {
            (Verdict::Skip, _) | (_, false) => Verdict::Skip,
            _ => Verdict::Blur,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apps_by_class_titles_by_part_blur_by_prefix() {
        let p = PrivateApps::parse(" KeePassXC , title:Online Banking, blur:slack,, ").unwrap();
        assert_eq!(p.verdict(Some("keepassxc"), None), Verdict::Skip);
        assert_eq!(p.verdict(Some("KeePassXC"), Some("db.kdbx")), Verdict::Skip);
        assert_eq!(
            p.verdict(Some("firefox"), Some("My online banking — Firefox")),
            Verdict::Skip
        );
        assert_eq!(p.verdict(Some("Slack"), Some("general")), Verdict::Blur);
        assert_eq!(p.verdict(Some("firefox"), Some("Docs")), Verdict::Capture);
        assert_eq!(p.verdict(None, None), Verdict::Capture);
        assert_eq!(
            PrivateApps::default().verdict(Some("keepassxc"), None),
            Verdict::Capture
        );
    }

    #[test]
    fn skip_wins_over_blur_and_lists_combine() {
        let org = PrivateApps::parse("blur:title:mail").unwrap();
        let mine = PrivateApps::parse("thunderbird").unwrap();
        let both = org.and(&mine);
        assert_eq!(
            both.verdict(Some("Thunderbird"), Some("Mail")),
            Verdict::Skip
        );
        assert_eq!(both.verdict(Some("firefox"), Some("Gmail")), Verdict::Blur);
    }

    #[test]
    fn entries_that_name_nothing_or_too_much_are_refused() {
        assert!(
            PrivateApps::parse("title:")
                .unwrap_err()
                .contains("names nothing")
        );
        assert!(PrivateApps::parse("blur:").is_err());
        assert!(PrivateApps::parse(&"x".repeat(201)).is_err());
        assert!(PrivateApps::parse(&vec!["a"; 101].join(",")).is_err());
        assert!(PrivateApps::parse("").unwrap().is_empty());
    }
}
