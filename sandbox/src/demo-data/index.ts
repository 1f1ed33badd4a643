export { generateFnoData, DEMO_ANCHORS, DEMO_TODAY, COMPANIES, type FnoDataset, type FnoRow, type Company } from './generate';
