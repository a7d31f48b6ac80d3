// Every social.* case file runs in this one test file: one workerd start-up for the group
// (about 2.6 s of CPU each) instead of one per file. Storage is shared within the group.
import './social.console.cases';
import './social.follows.cases';
import './social.professional.cases';
import './social.profiles.cases';
import './social.settings.cases';
import './social.suspension.cases';
import './social.visibility.cases';
