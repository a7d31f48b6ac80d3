import type { Criteria, Operator } from './criteria';
import { eventKey, interactionKey, type Figures } from './figures';

/** One evaluator for both questions: is the badge earned, and how far along is the user. */
export interface Assessment {
  met: boolean;
  /** 0–100. */
  progress: number;
  requirementsMet: number;
  totalRequirements: number;
  /** The figures compared, kept as the award's progress_data. */
  data: Record<string, number | string>;
}

const pct = (value: number, target: number) => (target <= 0 ? 100 : Math.max(0, Math.min(100, Math.floor((value / target) * 100))));

function compare(value: number, op: Operator, target: number): boolean {
  switch (op) {
    case '>=':
      return value >= target;
    case '>':
      return value > target;
    case '=':
      return value === target;
    case '<=':
      return value <= target;
    case '<':
      return value < target;
  }
}

/** A single "value reaches target" requirement. */
function reach(value: number, target: number, name: string): Assessment {
  const met = value >= target;
  return { met, progress: met ? 100 : pct(value, target), requirementsMet: met ? 1 : 0, totalRequirements: 1, data: { [name]: value, target } };
}

export function assess(criteria: Criteria, f: Figures): Assessment {
  switch (criteria.type) {
    case 'counter':
      return reach(f.fields[criteria.field], criteria.threshold, criteria.field);
    case 'consecutive_days':
      return reach(criteria.action === 'login' ? f.fields.login_streak : f.postStreak, criteria.days, `${criteria.action}_streak`);
    case 'event_based':
      return reach(f.events.get(eventKey(criteria.event_type, criteria.timeframe)) ?? 0, criteria.count, criteria.event_type);
    case 'social_interaction':
      return reach(f.interactions.get(interactionKey(criteria.interactions, criteria.timeframe)) ?? 0, criteria.min_count, 'interactions');
    case 'join_rank': {
      const met = f.joinRank <= criteria.max;
      // A rank only grows: past the cut it can never be met.
      return { met, progress: met ? 100 : 0, requirementsMet: met ? 1 : 0, totalRequirements: 1, data: { join_rank: f.joinRank, max: criteria.max } };
    }
    case 'multi_criteria':
      return multi(criteria, f);
    case 'manual':
      return { met: false, progress: 0, requirementsMet: 0, totalRequirements: 0, data: {} };
  }
}

function multi(criteria: Extract<Criteria, { type: 'multi_criteria' }>, f: Figures): Assessment {
  const data: Record<string, number> = {};
  const parts = criteria.requirements.map((r) => {
    const value = f.fields[r.field];
    data[r.field] = value;
    const met = compare(value, r.operator, r.value);
    // "At least" requirements show how far; the others are simply met or not.
    const progress = met ? 100 : r.operator === '>=' || r.operator === '>' ? pct(value, r.value) : 0;
    return { met, progress };
  });
  const requirementsMet = parts.filter((p) => p.met).length;
  const and = criteria.logic === 'AND';
  const met = and ? requirementsMet === parts.length : requirementsMet > 0;
  const progress = and ? Math.floor(parts.reduce((s, p) => s + p.progress, 0) / parts.length) : Math.max(...parts.map((p) => p.progress));
  return { met, progress: met ? 100 : Math.min(99, progress), requirementsMet, totalRequirements: parts.length, data };
}
