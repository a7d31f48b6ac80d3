import { LOCK_MINUTES, MAX_LOCK_REASON } from '../../admin/schemas';

const duration = (minutes: number) => (minutes < 60 ? `${minutes} minutes` : `${minutes / 60} hour${minutes === 60 ? '' : 's'}`);

/** The duration and reason of a staff lock, as the user page and the bulk form ask for them. */
export function LockFields({ reasonLabel }: { reasonLabel: string }) {
  return (
    <>
      <label>
        Lock for
        <select name="minutes">
          {LOCK_MINUTES.map((m) => (
            <option value={String(m)} selected={m === 60}>
              {duration(m)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {reasonLabel}
        <input type="text" name="reason" maxlength={MAX_LOCK_REASON} />
      </label>
    </>
  );
}
