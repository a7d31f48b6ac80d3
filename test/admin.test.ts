// Every admin.* case file runs in this one test file: one workerd start-up for the group
// (about 2.6 s of CPU each) instead of one per file. Storage is shared within the group.
import './admin.audit-coverage.cases';
import './admin.audit.cases';
import './admin.create-admin.cases';
import './admin.lock-ways-in.cases';
import './admin.lockout.cases';
import './admin.mfa-reset.cases';
import './admin.privileges.cases';
import './admin.query-plans.cases';
import './admin.require-mfa.cases';
import './admin.secrets.cases';
import './admin.users.cases';
