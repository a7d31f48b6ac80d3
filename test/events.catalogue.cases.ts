import { describe, expect, it } from 'vitest';
import readme from '../README.md?raw';
import { CLIENT_EVENT_TYPES, EVENT_CATALOGUE, EVENT_CATEGORIES, EVENT_TYPES, INGEST_EVENT_TYPES, typesOf } from '../src/audit/event-types';
import { withCatalogueTable } from '../src/audit/catalogue-table';
import { assessRisk, RISK_WEIGHTS, type RiskSignals } from '../src/audit/risk';
import { readSeverity, storedSeverities } from '../src/audit/severity';

const quiet: RiskSignals = { severity: 'low', success: true, newDevice: false, newCountry: false, recentIpFailures: 0, sensitive: false };

describe('event catalogue', () => {
  it('has 50+ types, every category used, client-postable types only in the client category', () => {
    expect(EVENT_TYPES.length).toBeGreaterThanOrEqual(50);
    for (const category of EVENT_CATEGORIES) expect(typesOf(category).length, category).toBeGreaterThan(0);
    for (const type of CLIENT_EVENT_TYPES) expect(EVENT_CATALOGUE[type].category).toBe('client');
    expect(typesOf('client')).toEqual(CLIENT_EVENT_TYPES);
    for (const type of INGEST_EVENT_TYPES) expect(EVENT_CATALOGUE[type].category).toBe('content');
    expect(INGEST_EVENT_TYPES).toEqual(expect.arrayContaining(['post_create', 'post_delete', 'comment_create', 'like', 'share', 'review_create', 'helpful_vote']));
    expect(CLIENT_EVENT_TYPES).toEqual(expect.arrayContaining(['page_view', 'feature_used', 'search']));
  });

  it('keeps every audit type recorded before issue 14', () => {
    for (const type of ['login_failed', 'login_succeeded', 'admin_role_changed', 'refresh_reuse_detected', 'mfa_disabled', 'security_alert', 'block', 'follow']) {
      expect(EVENT_CATALOGUE).toHaveProperty(type);
    }
  });

  it('the README table is generated from the catalogue (run npm run docs:events when this fails)', () => {
    expect(readme).toBe(withCatalogueTable(readme));
    for (const type of EVENT_TYPES) expect(readme).toContain(`| \`${type}\` | ${EVENT_CATALOGUE[type].category} |`);
  });
});

describe('legacy severities', () => {
  it('read info as low and warning as medium; filters match both spellings', () => {
    expect(readSeverity('info')).toBe('low');
    expect(readSeverity('warning')).toBe('medium');
    expect(readSeverity('high')).toBe('high');
    expect(storedSeverities('low')).toEqual(['low', 'info']);
    expect(storedSeverities('medium')).toEqual(['medium', 'warning']);
    expect(storedSeverities('critical')).toEqual(['critical']);
  });
});

describe('risk rule', () => {
  it('scores severity alone', () => {
    expect(assessRisk(quiet)).toEqual({ score: 0, requiresReview: false });
    expect(assessRisk({ ...quiet, severity: 'medium' }).score).toBe(20);
    expect(assessRisk({ ...quiet, severity: 'high' }).score).toBe(45);
    expect(assessRisk({ ...quiet, severity: 'critical' })).toEqual({ score: 70, requiresReview: true });
  });

  it('adds failure, new device, new country and recent IP failures (capped), up to 100', () => {
    expect(assessRisk({ ...quiet, success: false }).score).toBe(15);
    expect(assessRisk({ ...quiet, newDevice: true }).score).toBe(20);
    expect(assessRisk({ ...quiet, newCountry: true }).score).toBe(25);
    expect(assessRisk({ ...quiet, recentIpFailures: 4 }).score).toBe(12);
    expect(assessRisk({ ...quiet, recentIpFailures: 500 }).score).toBe(RISK_WEIGHTS.ipFailureCap * RISK_WEIGHTS.perIpFailure);
    expect(assessRisk({ ...quiet, severity: 'critical', success: false, newDevice: true, newCountry: true, recentIpFailures: 10 }).score).toBe(100);
  });

  it('flags for review from 70 up, and sensitive types always', () => {
    // medium (20) + failure (15) + new country (25) = 60: not yet.
    expect(assessRisk({ ...quiet, severity: 'medium', success: false, newCountry: true })).toEqual({ score: 60, requiresReview: false });
    // + 4 recent failures (12) = 72.
    expect(assessRisk({ ...quiet, severity: 'medium', success: false, newCountry: true, recentIpFailures: 4 })).toEqual({ score: 72, requiresReview: true });
    expect(assessRisk({ ...quiet, sensitive: true })).toEqual({ score: 0, requiresReview: true });
  });

  it('marks role changes, refresh reuse and MFA off as sensitive', () => {
    const sensitive = EVENT_TYPES.filter((t) => (EVENT_CATALOGUE[t] as { sensitive?: boolean }).sensitive);
    expect(sensitive.sort()).toEqual(['admin_role_changed', 'mfa_disabled', 'refresh_reuse_detected']);
  });
});
