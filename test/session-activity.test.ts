// Every session-activity.* case file runs in this one test file (one workerd start-up).
import './session-activity.renewal.cases';
import './session-activity.history.cases';
import './session-activity.last-active.cases';
import './session-activity.report.cases';
