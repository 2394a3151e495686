import type { GraphqlInfo } from '../types.js';
import { AUTH_LABELS, type AuthChoice } from './auth.js';

/** The first choice for a mode, with its fields' defaults. */
export function defaultChoice(type: string, graphql: GraphqlInfo): AuthChoice {
  switch (type) {
    case 'API_KEY':
      return { type, apiKey: graphql.apiKeys[0]?.value ?? '' };
    case 'AMAZON_COGNITO_USER_POOLS':
    case 'OPENID_CONNECT':
      return { type, user: 'user1', groups: '' };
    case 'AWS_IAM':
      return { type };
    case 'AWS_LAMBDA':
      return { type, token: '' };
    default:
      return { type: 'NONE' };
  }
}

export function AuthPicker(props: {
  graphql: GraphqlInfo;
  issuer: boolean;
  choice: AuthChoice;
  onChange: (choice: AuthChoice) => void;
}) {
  const { graphql, choice, onChange } = props;
  return (
    <div className="auth-picker" data-testid="auth-picker">
      <label>
        Auth
        <select name="auth-mode" value={choice.type} onChange={(e) => onChange(defaultChoice(e.target.value, graphql))}>
          {graphql.authModes.map((m) => (
            <option key={m.type} value={m.type}>
              {AUTH_LABELS[m.type] ?? m.type}
            </option>
          ))}
        </select>
      </label>
      {choice.type === 'API_KEY' ? (
        <label>
          Key
          <select
            name="api-key"
            value={choice.apiKey}
            onChange={(e) => onChange({ ...choice, apiKey: e.target.value })}
          >
            {graphql.apiKeys.map((k) => (
              <option key={k.value} value={k.value}>
                {k.description ? `${k.description} (${k.value.slice(0, 12)}…)` : k.value}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {choice.type === 'AMAZON_COGNITO_USER_POOLS' || choice.type === 'OPENID_CONNECT' ? (
        <>
          <label>
            User
            <input name="user" value={choice.user} onChange={(e) => onChange({ ...choice, user: e.target.value })} />
          </label>
          <label>
            Groups
            <input
              name="groups"
              placeholder="admins, editors"
              value={choice.groups}
              onChange={(e) => onChange({ ...choice, groups: e.target.value })}
            />
          </label>
          {props.issuer ? null : <span className="muted">no local issuer: set the token in Headers</span>}
        </>
      ) : null}
      {choice.type === 'AWS_IAM' ? <span className="muted">signed with the functions' credentials</span> : null}
      {choice.type === 'AWS_LAMBDA' ? (
        <label>
          Token
          <input name="token" value={choice.token} onChange={(e) => onChange({ ...choice, token: e.target.value })} />
        </label>
      ) : null}
    </div>
  );
}
