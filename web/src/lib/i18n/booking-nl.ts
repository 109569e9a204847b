/** Dutch texts of booking pages (the wizard, my bookings, organisation bookings). Part of `nl`. */
export const bookingNl = {
};
