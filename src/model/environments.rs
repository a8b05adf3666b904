//! `environments:` in `bank.yaml`: what the bank's code blocks run against when
//! `qbank check --run-examples` executes them.
//!
//! Two kinds, both real: `python` — a virtual environment qbank manages with pinned
//! requirements, optionally a folder of the bank on `sys.path` and a Django project set up
//! per block — and `mariadb` — a throwaway MariaDB server on a Unix socket. A block picks one
//! with `env=NAME` in its info string (` ```python env=django `); ` ```sql ` blocks run on the
//! server whenever the bank declares a `mariadb` environment (one server per run serves them
//! all). This file holds the shapes (serde and the JSON Schema) and the checks that need no
//! disk; `crate::examples` sets them up.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Origin;
use crate::diagnostics::Diagnostic;

/// The keys of one environment, for "did you mean" on a typo.
pub const ENVIRONMENT_KEYS: &[&str] = &["kind", "requirements", "path", "django", "database"];

/// One environment as written in `bank.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentFile {
    /// `python`: a virtual environment with `requirements` (blocks: ```` ```python env=NAME ````).
    /// `mariadb`: a throwaway MariaDB server, a fresh database per block (blocks: ```` ```sql ````).
    pub kind: EnvironmentKind,
    /// python: pinned requirements, `name==version` each, installed into a virtual
    /// environment qbank creates under `<bank>/.qbank/venvs/`.
    #[serde(default)]
    #[schemars(inner(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._\-\[\], ]*==\s*[^=\s]+$")))]
    pub requirements: Vec<String>,
    /// python: a folder of the bank (e.g. `examples/django`) put first on `sys.path`.
    #[serde(default)]
    pub path: Option<String>,
    /// python: a Django settings module found in `path` (e.g. `config.settings`). Each block
    /// runs after `django.setup()`, with the project's models imported as in `manage.py shell`,
    /// on a fresh database with the migrations applied.
    #[serde(default)]
    pub django: Option<String>,
    /// python with `django`: the database each block gets (default `sqlite`).
    #[serde(default)]
    pub database: Option<Database>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EnvironmentKind {
    Python,
    Mariadb,
}

/// The database of a Django environment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Database {
    /// A fresh SQLite file per block, copied from one migrated once per run.
    #[default]
    Sqlite,
    /// A fresh database per block on the run's throwaway MariaDB server.
    Mariadb,
}

/// A checked environment of the bank.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub kind: EnvironmentKind,
    pub requirements: Vec<String>,
    /// Relative to the bank folder, without `..`.
    pub path: Option<PathBuf>,
    pub django: Option<String>,
    pub database: Database,
    /// Where it is declared (`/environments/<name>` in bank.yaml).
    pub origin: Origin,
}

/// Checks the declared environments; returns them and one diagnostic per problem as
/// `(YAML path, diagnostic)`, for the loader to place.
pub fn check(
    declared: &BTreeMap<String, EnvironmentFile>,
    origin: impl Fn(&str) -> Origin,
) -> (BTreeMap<String, Environment>, Vec<(String, Diagnostic)>) {
    let mut problems = Vec::new();
    let mut out = BTreeMap::new();
    for (name, e) in declared {
        let at = format!("/environments/{name}");
        let mut problem = |path: String, d: Diagnostic| problems.push((path, d));
        if !super::is_slug(name) {
            problem(
                at.clone(),
                Diagnostic::error(format!("environment name `{name}` is not a slug"))
                    .help("use lowercase letters, digits and single hyphens, e.g. `django`"),
            );
        }
        let python_only = [
            ("requirements", !e.requirements.is_empty()),
            ("path", e.path.is_some()),
            ("django", e.django.is_some()),
            ("database", e.database.is_some()),
        ];
        if e.kind == EnvironmentKind::Mariadb {
            for (key, set) in python_only {
                if set {
                    problem(
                        format!("{at}/{key}"),
                        Diagnostic::error(format!("`{key}` is for `kind: python` environments"))
                            .help("a `mariadb` environment takes no other keys"),
                    );
                }
            }
        }
        for (i, r) in e.requirements.iter().enumerate() {
            if !is_pinned(r) {
                problem(
                    format!("{at}/requirements/{i}"),
                    Diagnostic::error(format!("requirement `{r}` is not pinned"))
                        .help("pin an exact version, e.g. `Django==5.2.19`, so every run installs the same code"),
                );
            }
        }
        let path = e.path.as_deref().and_then(|p| match relative_path(p) {
            Ok(p) => Some(p),
            Err(message) => {
                problem(
                    format!("{at}/path"),
                    Diagnostic::error(message)
                        .help("`path` is a folder inside the bank, relative to bank.yaml"),
                );
                None
            }
        });
        if let Some(module) = &e.django
            && !is_dotted_name(module)
        {
            problem(
                format!("{at}/django"),
                Diagnostic::error(format!("`{module}` is not a Python module name"))
                    .help("name the settings module, e.g. `config.settings`"),
            );
        }
        if e.database.is_some() && e.django.is_none() {
            problem(
                format!("{at}/database"),
                Diagnostic::error("`database` needs `django`")
                    .help("the database is the one a Django project's blocks run on"),
            );
        }
        out.insert(
            name.clone(),
            Environment {
                name: name.clone(),
                kind: e.kind,
                requirements: e.requirements.clone(),
                path,
                django: e.django.clone(),
                database: e.database.unwrap_or_default(),
                origin: origin(&at),
            },
        );
    }
    (out, problems)
}

/// `name==version`, optionally with extras: `psycopg[binary]==3.2.3`.
fn is_pinned(requirement: &str) -> bool {
    let Some((name, version)) = requirement.split_once("==") else {
        return false;
    };
    let name = name.trim();
    let version = version.trim();
    !name.is_empty()
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && !version.is_empty()
        && !version.contains(['=', ' ', ';', '*'])
}

fn is_dotted_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// A path inside the bank folder, lexically: relative, no `..` leaving it.
fn relative_path(p: &str) -> Result<PathBuf, String> {
    let mut rel = PathBuf::new();
    for c in Path::new(p).components() {
        match c {
            Component::Normal(part) => rel.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !rel.pop() {
                    return Err(format!("path `{p}` leaves the bank folder"));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("path `{p}` is absolute"));
            }
        }
    }
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(yaml: &str) -> BTreeMap<String, EnvironmentFile> {
        serde_norway::from_str(yaml).unwrap()
    }

    fn problems(yaml: &str) -> Vec<String> {
        let (_, found) = check(&env(yaml), |_| Origin::default());
        found
            .into_iter()
            .map(|(path, d)| format!("{path}: {}", d.message))
            .collect()
    }

    #[test]
    fn a_django_and_a_server_environment_pass() {
        let yaml = "django:\n  kind: python\n  requirements: [Django==5.2.19, 'psycopg[binary]==3.2.3']\n  path: examples/django\n  django: config.settings\n  database: mariadb\nsql:\n  kind: mariadb\n";
        assert!(problems(yaml).is_empty(), "{:?}", problems(yaml));
        let (envs, _) = check(&env(yaml), |_| Origin::default());
        assert_eq!(envs["django"].database, Database::Mariadb);
        assert_eq!(envs["sql"].kind, EnvironmentKind::Mariadb);
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let yaml = "Bad_Name:\n  kind: mariadb\n  requirements: [Django]\npy:\n  kind: python\n  requirements: [Django>=5]\n  path: ../outside\n  django: 'config settings'\n  database: sqlite\n";
        let found = problems(yaml);
        for want in [
            "/environments/Bad_Name: environment name `Bad_Name` is not a slug",
            "/environments/Bad_Name/requirements: `requirements` is for `kind: python`",
            "/environments/Bad_Name/requirements/0: requirement `Django` is not pinned",
            "/environments/py/requirements/0: requirement `Django>=5` is not pinned",
            "/environments/py/path: path `../outside` leaves the bank folder",
            "/environments/py/django: `config settings` is not a Python module name",
        ] {
            assert!(
                found.iter().any(|f| f.starts_with(want)),
                "{want} not in {found:?}"
            );
        }
        let yaml = "py:\n  kind: python\n  database: mariadb\n";
        assert_eq!(
            problems(yaml),
            vec!["/environments/py/database: `database` needs `django`"]
        );
    }
}
