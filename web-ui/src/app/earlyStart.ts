// Imported first by main.tsx: the page's first requests leave as soon as the few modules they need are evaluated,
// ahead of the rest of the app's (uPlot, the pages).
import { startEarlyRequests } from './early';

startEarlyRequests();
