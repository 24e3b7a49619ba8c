export { type DeadlineHandler, DeadlineService } from './DeadlineService.js';
