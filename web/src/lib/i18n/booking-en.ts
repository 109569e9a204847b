import type { Dictionary } from './nl';

export const bookingEn: Dictionary['booking'] = {
};
