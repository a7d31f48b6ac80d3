// Every mfa.* case file runs in this one test file: one workerd start-up for the group
// (about 2.6 s of CPU each) instead of one per file. Storage is shared within the group.
import './mfa.at-rest.cases';
import './mfa.attempt-cap.cases';
import './mfa.enrolment.cases';
import './mfa.login.cases';
import './mfa.totp.cases';
