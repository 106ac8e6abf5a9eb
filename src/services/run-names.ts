// Random run names in MLflow's shape: "<adjective>-<noun>-<0..1000>", at most 20 characters.
// The word lists are our own; only the shape matches MLflow's name_utils.

const ADJECTIVES = (
  "amber ample azure bold brave breezy bright brisk calm candid cheery chill civic clever cosmic " +
  "crisp curious dapper daring deft eager early earnest easy epic fair fancy fearless fleet fluent " +
  "fond frank fresh gentle giddy glad golden grand hardy hearty honest humble jolly jovial keen " +
  "kind lively lucid lucky mellow merry mighty modest nimble noble plucky polite proud quick quiet " +
  "rapid ready rosy rustic serene sharp shiny silent sleek smooth snappy solid spry stellar steady " +
  "sunny swift tidy tranquil trusty upbeat vivid warm wise witty zany zesty"
).split(" ");

const NOUNS = (
  "badger bear beaver bison bobcat crane cricket crow deer dingo dolphin dove eagle eel egret elk " +
  "falcon ferret finch fox gecko gibbon goose grouse gull hare hawk heron ibis jackal jay koala " +
  "lark lemur lion llama lynx magpie marten mole moose moth newt ocelot orca osprey otter owl " +
  "panda parrot pelican pika plover puffin quail raven robin salmon seal shrew skunk sparrow squid " +
  "stork swan tapir tern toad trout turtle vole walrus wasp weasel whale wolf wombat wren yak " +
  "zebra"
).split(" ");

export const MAX_RUN_NAME_LENGTH = 20;

const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)];

/** `rnd` returns numbers in [0, 1); tests pass a seeded one. */
export function randomRunName(rnd: () => number = Math.random): string {
  let name = "";
  for (let i = 0; i < 10; i++) {
    // MLflow draws the number from 0..1000 inclusive.
    name = `${pick(ADJECTIVES, rnd)}-${pick(NOUNS, rnd)}-${Math.floor(rnd() * 1001)}`;
    if (name.length <= MAX_RUN_NAME_LENGTH) return name;
  }
  return name.slice(0, MAX_RUN_NAME_LENGTH);
}
