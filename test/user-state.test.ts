// Every user-state.* case file runs in this one test file: one workerd start-up for the group
// (about 2.6 s of CPU each) instead of one per file. Storage is shared within the group.
import './user-state.cleanup.cases';
import './user-state.layout.cases';
