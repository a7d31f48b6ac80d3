// Developer experience (issue 17): every devx.* case file runs in this one test file
// (one workerd start-up). `.ci/run` runs the whole suite with a hostile `.dev.vars` in place.
import './devx.isolation.cases';
import './devx.limits.cases';
import './devx.verify-page.cases';
import './devx.generated-keys.cases';
