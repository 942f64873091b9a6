// One bangtin server for the suite (fresh database), one host site on an allowed origin and one
// on an origin the server does not allow. URLs reach the tests through the environment.
import { startHost, startServer } from './servers.mjs';

export default async function globalSetup() {
  const allowedHost = await startHost();
  const otherHost = await startHost();
  const server = await startServer({ allowed: [allowedHost.url] });
  process.env.BANGTIN_URL = server.url;
  process.env.HOST_URL = allowedHost.url;
  process.env.OTHER_HOST_URL = otherHost.url;
  return async () => {
    await server.stop();
    await allowedHost.stop();
    await otherHost.stop();
  };
}
