import type { Locale } from '@buurtservice/shared';
import type { Me } from '$lib/api/types';
import type { ApiClient } from '$lib/server/client';

declare global {
  namespace App {
    interface Locals {
      /** The signed-in person, or null. */
      user: Me | null;
      /** Calls to the API as this person (Bearer token, Accept-Language, refresh). */
      api: ApiClient;
      locale: Locale;
      /** True when the API could not be reached while loading the session. */
      apiUnavailable: boolean;
    }
    interface PageData {
      locale: Locale;
      user: Me | null;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
