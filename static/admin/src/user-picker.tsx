/** A people picker backed by `users/search`. */
import { AsyncSelect } from '@atlaskit/select';
import { call } from '../../common/api';

export interface UserOption {
  value: string;
  label: string;
}

export async function searchUsers(query: string): Promise<UserOption[]> {
  const users = await call('users/search', { query });
  return users.map((u) => ({ value: u.accountId, label: u.displayName }));
}

export function UserPicker({
  inputId,
  value,
  onChange,
  isInvalid,
  isClearable,
  describedBy,
}: {
  inputId: string;
  value: UserOption | null;
  onChange: (v: UserOption | null) => void;
  isInvalid?: boolean;
  isClearable?: boolean;
  describedBy?: string;
}) {
  return (
    <AsyncSelect<UserOption>
      inputId={inputId}
      aria-describedby={describedBy}
      cacheOptions
      defaultOptions
      isClearable={isClearable}
      loadOptions={(q: string) => searchUsers(q).catch(() => [])}
      value={value}
      onChange={(v) => onChange(v)}
      isInvalid={isInvalid}
      placeholder="Search people"
      noOptionsMessage={() => 'Nobody matches'}
      menuPortalTarget={document.body}
      styles={{ menuPortal: (base) => ({ ...base, zIndex: 9999 }) }}
    />
  );
}
