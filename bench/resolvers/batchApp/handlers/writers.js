export const handler = async (payloads) =>
  payloads.map(({ writerId }) => ({ id: writerId, name: `Writer ${writerId}` }));
