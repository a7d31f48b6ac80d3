// Every robustness.* case file runs in this one test file: one workerd start-up for the group
// (about 2.6 s of CPU each) instead of one per file. Storage is shared within the group.
import './robustness.bodies.cases';
import './robustness.findings.cases';
import './robustness.oracle.cases';
import './robustness.routes.cases';
import './robustness.state.cases';
import './robustness.tokens.cases';
