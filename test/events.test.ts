// Every events.* case file runs in this one test file (one workerd start-up for the group).
import './events.catalogue.cases';
import './events.store.cases';
import './events.api.cases';
import './events.admin.cases';
import './events.ingest.cases';
