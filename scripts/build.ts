/** `npm run build`: a production build of the dashboard that `ferry start` recognises as current (no rebuild at start). */
import { ensureBuild } from "@/lib/server/ensure-build";

ensureBuild(process.cwd(), console.log, { force: true });
