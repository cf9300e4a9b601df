/**
 * Plain, accessible messages: the text part carries the same content and link as the HTML part.
 * No message echoes text a person typed (a name, an organisation's name, a URL): anyone can sign
 * up or invite with any address, so such text would let a stranger put their words, under
 * forgetme's name, into someone else's inbox. Pages show those details once the link is opened.
 */
export type MailContent = { subject: string; text: string; html: string };

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, paragraphs: string[], link: { href: string; label: string }): string {
  return `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;max-width:560px;margin:auto;color:#111">
<h1 style="font-size:20px">${escape(title)}</h1>
${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
<p><a href="${escape(link.href)}" style="display:inline-block;padding:10px " +
  "16px;background:#111;color:#fff;border-radius:6px;text-decoration:none">${escape(link.label)}</a></p>
<p style="font-size:12px;color:#555">Or open this address: ${escape(link.href)}</p>
</body></html>`;
}

export function verifyEmailMail(opts: { link: string; hours: number }): MailContent {
  const lines = [
    'Hello,',
    'Please confirm your e-mail address to finish creating your forgetme account.',
    `The link works once and expires in ${opts.hours} hours. If you did not sign up, ignore this message.`,
  ];
  return {
    subject: 'Confirm your e-mail address for forgetme',
    text: `${lines.join('\n\n')}\n\n${opts.link}\n`,
    html: layout('Confirm your e-mail address', lines, { href: opts.link, label: 'Confirm my e-mail address' }),
  };
}

export function invitationMail(opts: { role: string; link: string; days: number }): MailContent {
  const lines = [
    `You are invited to join a partner organisation on forgetme as ${opts.role}.`,
    `The link below shows which organisation and who invited you. Accept within ${opts.days} days by opening it and choosing a password.`,
    'If you did not expect this, ignore this message.',
  ];
  return {
    subject: 'You are invited to join an organisation on forgetme',
    text: `${lines.join('\n\n')}\n\n${opts.link}\n`,
    html: layout('Join an organisation on forgetme', lines, { href: opts.link, label: 'See the invitation' }),
  };
}

export function passwordResetMail(opts: { link: string; minutes: number }): MailContent {
  const lines = [
    'Hello,',
    'Someone asked to reset the password of the forgetme account of this address. Open the link below to choose a new password: it works once and expires in ' +
      `${opts.minutes} minutes. Resetting signs you out everywhere.`,
    'If you did not ask for this, ignore this message: your password stays as it is.',
  ];
  return {
    subject: 'Reset your forgetme password',
    text: `${lines.join('\n\n')}\n\n${opts.link}\n`,
    html: layout('Reset your password', lines, { href: opts.link, label: 'Choose a new password' }),
  };
}

export function webhookDisabledMail(opts: { link: string }): MailContent {
  const lines = [
    'Hello,',
    "Every delivery to one of your organisation's webhook endpoints has failed for five days, so forgetme has disabled it.",
    'Events since then are in the delivery log.',
    'Fix the receiver, re-enable the endpoint in the console, and replay the deliveries you missed.',
  ];
  return {
    subject: 'A forgetme webhook endpoint was disabled',
    text: `${lines.join('\n\n')}\n\n${opts.link}\n`,
    html: layout('Webhook endpoint disabled', lines, { href: opts.link, label: 'Open the webhook console' }),
  };
}

export function removalCompletedMail(opts: { link: string; certificates: number }): MailContent {
  const lines = [
    'Hello,',
    `Your removal request is complete. The companies concerned have new versions of their face-recognition models from which your ` +
      `photos were removed, and forgetme issued ${opts.certificates} signed certificate(s) that anyone can verify.`,
    'Your reference photos and the data describing your face have now been deleted from forgetme. Download your certificates from the request page.',
  ];
  return {
    subject: 'Your photos were removed: your forgetme certificates',
    text: `${lines.join('\n\n')}\n\n${opts.link}\n`,
    html: layout('Your removal is complete', lines, { href: opts.link, label: 'See the request and its certificates' }),
  };
}

/** A request that ended failed or partly failed after every retry (lib/removals/settle-request.ts). */
export function removalFailedMail(opts: { link: string; certificates: number; stage: 'matching' | 'unlearning' | 'certification' }): MailContent {
  const what = {
    matching: 'We could not finish searching the registered training sets for your photos.',
    unlearning: "We could not remove your photos from every company's model.",
    certification: 'Your photos were removed, but we could not sign the certificates that prove it.',
  }[opts.stage];
  const partly = opts.certificates
    ? `For the other companies the removal is done: forgetme issued ${opts.certificates} signed certificate(s), which you can download from the request page.`
    : 'No certificate could be issued for this request.';
  const lines = [
    'Hello,',
    `${what} We tried several times over some hours. ${partly}`,
    "Our operators have been alerted and can retry the removal. The photos found stay excluded from the companies' training sets. " +
      'Your reference photos and the data describing your face have been deleted from forgetme, as they would be on completion.',
  ];
  return {
    subject: opts.certificates ? 'Your forgetme removal is only partly done' : 'Your forgetme removal request failed',
    text: `${lines.join('\n\n')}\n\n${opts.link}\n`,
    html: layout(opts.certificates ? 'Your removal is only partly done' : 'Your removal request failed', lines, { href: opts.link, label: 'See the request' }),
  };
}

/** A person who asked to be told: a new training set may hold their photos. Names neither the company nor the set. */
export function newSetMatchMail(opts: { link: string }): MailContent {
  const lines = [
    'Hello,',
    'You asked forgetme to tell you if a training set registered later may hold photos of you. One does: a training set registered ' +
      'since your search holds faces close to yours.',
    'To see them and have them removed, sign in and start a new request (it asks for a new live capture). As agreed, forgetme has ' +
      'now deleted the face data it kept for this, and will not write about it again.',
  ];
  return {
    subject: 'forgetme may have found photos of you',
    text: `${lines.join('\n\n')}\n\n${opts.link}\n`,
    html: layout('Photos of you may have been found', lines, { href: opts.link, label: 'Sign in to forgetme' }),
  };
}
