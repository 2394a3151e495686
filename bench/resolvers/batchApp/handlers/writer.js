export const handler = async ({ writerId }) => ({ id: writerId, name: `Writer ${writerId}` });
