/** Dutch texts of the dispatcher's pages (the board, auto-plan, worker management). Part of `nl`. */
export const dispatchNl = {
};
