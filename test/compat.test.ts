// Coming from Django (issue 16): every compat.* case file runs in this one test file (one
// workerd start-up for the group). Storage is shared within the group.
import './compat.aliases.cases';
import './compat.no-email.cases';
import './compat.settings.cases';
import './compat.readme.cases';
