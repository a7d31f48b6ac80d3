// Every console-jobs.* case file (issue 17: the console's everyday jobs) runs in this one
// test file: one workerd start-up for the group. Storage is shared within the group.
import './console-jobs.create.cases';
import './console-jobs.edit.cases';
import './console-jobs.mail.cases';
import './console-jobs.history.cases';
import './console-jobs.bulk.cases';
import './console-jobs.list.cases';
