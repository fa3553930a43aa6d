//! Privileges: constructors for [`Grant`] and [`DefaultPrivileges`].

use crate::model::{DefaultObjects, DefaultPrivileges, Grant, GrantObject, Privilege};

use super::strings;

impl Grant {
    /// `GRANT privileges ON object TO roles` (`public` for every role).
    pub fn new<R: Into<String>>(
        object: GrantObject,
        privileges: impl IntoIterator<Item = Privilege>,
        roles: impl IntoIterator<Item = R>,
    ) -> Self {
        Grant {
            object,
            privileges: privileges.into_iter().collect(),
            columns: Vec::new(),
            roles: strings(roles),
            with_grant_option: false,
            revoke: false,
        }
    }

    /// `GRANT ALL ON object TO roles`: every privilege the kind of object takes.
    pub fn all<R: Into<String>>(object: GrantObject, roles: impl IntoIterator<Item = R>) -> Self {
        let privileges = object.valid_privileges(false).to_vec();
        Grant::new(object, privileges, roles)
    }

    /// `REVOKE privileges ON object FROM roles`: takes away privileges PostgreSQL grants by
    /// default (see [`GrantObject::public_baseline`]).
    pub fn revoke<R: Into<String>>(
        object: GrantObject,
        privileges: impl IntoIterator<Item = Privilege>,
        roles: impl IntoIterator<Item = R>,
    ) -> Self {
        Grant {
            revoke: true,
            ..Grant::new(object, privileges, roles)
        }
    }

    /// Column privileges: `GRANT SELECT (columns) ON TABLE t`.
    pub fn columns<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.columns = strings(columns);
        self
    }

    /// `WITH GRANT OPTION`.
    pub fn with_grant_option(mut self) -> Self {
        self.with_grant_option = true;
        self
    }
}

impl DefaultPrivileges {
    /// `ALTER DEFAULT PRIVILEGES IN SCHEMA schema GRANT privileges ON objects TO roles`, for
    /// the objects the applying role creates.
    pub fn new<R: Into<String>>(
        schema: impl Into<String>,
        on: DefaultObjects,
        privileges: impl IntoIterator<Item = Privilege>,
        roles: impl IntoIterator<Item = R>,
    ) -> Self {
        DefaultPrivileges {
            for_role: None,
            schema: schema.into(),
            on,
            privileges: privileges.into_iter().collect(),
            roles: strings(roles),
            with_grant_option: false,
        }
    }

    /// `FOR ROLE role`: for the objects `role` creates.
    pub fn for_role(mut self, role: impl Into<String>) -> Self {
        self.for_role = Some(role.into());
        self
    }

    /// `WITH GRANT OPTION`.
    pub fn with_grant_option(mut self) -> Self {
        self.with_grant_option = true;
        self
    }
}
