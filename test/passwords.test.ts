// Every passwords.* case file runs in this one test file: one workerd start-up for the group
// (about 2.6 s of CPU each) instead of one per file. Storage is shared within the group.
import './passwords.django.cases';
import './passwords.django-kinds.cases';
import './passwords.hash.cases';
import './passwords.pbkdf2-limit.cases';
import './passwords.common-list.cases';
import './passwords.policy.cases';
import './passwords.similarity.cases';
