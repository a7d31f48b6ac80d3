// Every openapi.* case file runs in this one test file (one workerd start-up for the group).
import './openapi.document.cases';
import './openapi.responses.cases';
import './openapi.flows.cases';
import './openapi.docs-page.cases';
import './openapi.client.cases';
import './openapi.reference.cases';
// Last: it checks what the files above have exercised.
import './openapi.coverage.cases';
