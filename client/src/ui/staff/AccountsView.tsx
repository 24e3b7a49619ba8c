import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, errorText, type Organisation, staffApi } from './staffApi.js';

const roles = ['admin', 'mediator', 'court_staff', 'correctional_officer', 'lawyer'] as const;

/** Administrators: the accounts of their organisations; create, disable, enable (which also lifts a lock). */
export function AccountsView({ account }: { account: Account }) {
  const { t } = useTranslation();
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [orgs, setOrgs] = useState<Organisation[]>([]);
  const [form, setForm] = useState({ username: '', displayName: '', staffRole: 'mediator', orgId: account.orgId, password: '' });
  const [error, setError] = useState<string>();
  useEffect(() => {
    staffApi<{ accounts: Account[] }>('GET', '/accounts').then(
      (a) => setAccounts(a.accounts),
      (err: unknown) => setError(errorText(t, err)),
    );
    staffApi<{ organisations: Organisation[] }>('GET', '/organisations').then(
      (a) => setOrgs(a.organisations),
      () => undefined,
    );
  }, [t]);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const { account: created } = await staffApi<{ account: Account }>('POST', '/accounts', form);
      setAccounts((list) => [...list, created]);
      setForm((f) => ({ ...f, username: '', displayName: '', password: '' }));
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  const toggle = async (target: Account) => {
    try {
      const { account: next } = await staffApi<{ account: Account }>('PATCH', `/accounts/${target.id}`, { disabled: !target.disabled });
      setAccounts((list) => list.map((a) => (a.id === next.id ? next : a)));
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <section aria-labelledby="accounts-heading">
      <h2 id="accounts-heading">{t('office.nav.accounts')}</h2>
      {error && <p role="alert">{error}</p>}
      <ul className="plain" data-testid="account-list">
        {accounts.map((a) => (
          <li key={a.id} data-username={a.username}>
            {a.displayName} ({a.username}) · {t(`office.role.${a.staffRole}`)} · {orgs.find((o) => o.id === a.orgId)?.name}{' '}
            {a.id !== account.id && (
              <button type="button" onClick={() => void toggle(a)}>
                {a.disabled ? t('office.accounts.enable') : t('office.accounts.disable')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void create(e)} className="stack narrow" aria-labelledby="new-account" data-testid="account-form">
        <h3 id="new-account">{t('office.accounts.new')}</h3>
        <label>
          {t('office.login.username')}
          <input value={form.username} onChange={set('username')} required data-testid="account-username" />
        </label>
        <label>
          {t('office.accounts.displayName')}
          <input value={form.displayName} onChange={set('displayName')} required data-testid="account-name" />
        </label>
        <label>
          {t('office.accounts.role')}
          <select value={form.staffRole} onChange={set('staffRole')} data-testid="account-role">
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`office.role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('office.accounts.organisation')}
          <select value={form.orgId} onChange={set('orgId')} data-testid="account-org">
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('office.login.password')}
          <input
            type="password"
            value={form.password}
            onChange={set('password')}
            autoComplete="new-password"
            required
            minLength={10}
            data-testid="account-password"
          />
        </label>
        <button type="submit" className="primary" data-testid="create-account">
          {t('office.accounts.create')}
        </button>
      </form>
    </section>
  );
}
