// Every import.* case file runs in this one test file (one workerd start-up for the group).
import './import.django.cases';
