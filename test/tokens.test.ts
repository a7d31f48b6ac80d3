// Every tokens.* case file runs in this one test file: one workerd start-up for the group
// (about 2.6 s of CPU each) instead of one per file. Storage is shared within the group.
import './tokens.jwks.cases';
import './tokens.key-cache.cases';
import './tokens.middleware.cases';
import './tokens.rotation.cases';
import './tokens.verify.cases';
