// Every mail.* case file runs in this one test file: one workerd start-up for the group
// (about 2.6 s of CPU each) instead of one per file. Storage is shared within the group.
import './mail.consumer.cases';
import './mail.dead-letter.cases';
import './mail.mime.cases';
import './mail.queue.cases';
import './mail.templates.cases';
import './mail.transports.cases';
