// Shows the realtime connection's state as Amplify reports it on the Hub's 'api' channel, explains a connection
// that does not come up, and tells the page each time its subscription is (re-)established so it can catch up on
// what it missed meanwhile.
import { CONNECTION_STATE_CHANGE, ConnectionState } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';

const LABELS: Record<ConnectionState, string> = {
  [ConnectionState.Connected]: 'Live',
  [ConnectionState.ConnectedPendingKeepAlive]: 'Live (waiting for keep-alive)',
  [ConnectionState.ConnectedPendingNetwork]: 'Live (network unsure)',
  [ConnectionState.ConnectedPendingDisconnect]: 'Closing…',
  [ConnectionState.Connecting]: 'Connecting…',
  [ConnectionState.ConnectionDisrupted]: 'Reconnecting…',
  [ConnectionState.ConnectionDisruptedPendingNetwork]: 'Offline, waiting for the network…',
  [ConnectionState.Disconnected]: 'Disconnected',
};

// Amplify publishes each start_ack on the Hub under this name (its CONTROL_MSG.SUBSCRIPTION_ACK, not exported).
const SUBSCRIPTION_ACK = 'Subscription ack';

export interface Connection {
  /** The subscription ended with an error; the page starts it again. */
  failed(message: string): void;
}

export function watchConnection(badge: HTMLElement, notice: HTMLElement, subscribed: () => void): Connection {
  let connectedOnce = false;
  const explain = (message: string) => {
    notice.replaceChildren(message);
    // A socket that never opens from an http:// page is nearly always the dev certificate: Amplify uses wss://
    // even for an http:// endpoint, and the browser refuses a certificate it does not trust.
    if (!connectedOnce && location.protocol === 'http:') {
      const secure = `https://${location.host}/`;
      const link = Object.assign(document.createElement('a'), { href: secure, textContent: secure });
      notice.append(
        ' If your browser does not trust the dev certificate yet, run `npx syncline trust` once and restart it, or open ',
        link,
        ' and accept the warning for this session.',
      );
    }
    notice.hidden = false;
  };

  Hub.listen('api', ({ payload }) => {
    if (payload.event === CONNECTION_STATE_CHANGE) {
      const state = (payload.data as { connectionState: ConnectionState }).connectionState;
      badge.dataset.state = state;
      badge.textContent = LABELS[state];
      if (state === ConnectionState.Connected) {
        connectedOnce = true;
        notice.hidden = true;
      } else if (state === ConnectionState.ConnectionDisrupted) {
        explain(
          connectedOnce
            ? 'The live connection dropped; reconnecting by itself.'
            : 'The live connection could not be opened; retrying by itself.',
        );
      }
    } else if (payload.event === SUBSCRIPTION_ACK) {
      subscribed();
    }
  });
  return {
    failed(message) {
      badge.dataset.state = 'Failed';
      badge.textContent = 'Retrying…';
      explain(`Live updates stopped: ${message}.`);
    },
  };
}
