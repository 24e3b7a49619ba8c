import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, errorText, staffApi } from './staffApi.js';

export function LoginForm({ onSignedIn }: { onSignedIn: (account: Account) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { account } = await staffApi<{ account: Account }>('POST', '/auth/login', { username, password });
      onSignedIn(account);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
      setPassword('');
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="stack narrow" aria-labelledby="login-title" data-testid="login-form">
      <h2 id="login-title">{t('office.login.title')}</h2>
      <label>
        {t('office.login.username')}
        <input
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="username"
          required
          data-testid="login-username"
        />
      </label>
      <label>
        {t('office.login.password')}
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
          data-testid="login-password"
        />
      </label>
      {error && <p role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
        {t('office.login.submit')}
      </button>
    </form>
  );
}
