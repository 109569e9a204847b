import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * Where the installed app opens (the manifest's start_url): a worker lands on their day, anyone
 * else on their overview. Without a connection the service worker sends a worker to the last
 * copy of their day.
 */
export const GET: RequestHandler = ({ locals }) => {
  if (!locals.user) redirect(303, '/inloggen?next=%2Fwerk%2Fstart');
  redirect(303, locals.user.role === 'worker' ? '/werk' : '/home');
};
