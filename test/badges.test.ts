// Every badges.* case file runs in this one test file: one workerd start-up for the group.
// Storage is shared within the group, so each test uses badges and users of its own.
import './badges.definitions.cases';
import './badges.awards.cases';
import './badges.evaluation.cases';
import './badges.visibility.cases';
import './badges.analytics.cases';
import './badges.console.cases';
