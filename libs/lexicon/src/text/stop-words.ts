import { normalise } from './normalise';

/**
 * Function words of Russian, English and Czech: prepositions, conjunctions, particles, pronouns,
 * auxiliaries. They never name a value by themselves ("no" is not the value 'no', "в" is not a code),
 * and inside a value ("Usti nad Labem", "POPLATEK PO OBRATU") they weigh less than its content words.
 */
export function isStopWord(normalisedWord: string): boolean {
  return STOP.has(normalisedWord);
}

const STOP = new Set(
  [
    // Russian
    'а без более бы был была были было быть в вам вас весь во вот все всех вы где да даже для до его ее ' +
      'если есть еще же за и из или им их к как кем ко когда кого который которые которых кто ли либо меж ' +
      'между мне мы на над надо нас не него нее нет ни них но ну о об однако он она они оно от ото очень по ' +
      'под при про раз с со так также такой там те тем то того тоже той только том ту ты у уже хоть чего ' +
      'чей чем что чтобы чье эта эти это этот я который которая которое котором которым свой своих свои ' +
      'себя сам сама сами самый всё всего этих этой этом тех один одна одно одни два две три',
    // English
    'a about above after again against all also am an and any are as at be been before being below ' +
      'between both but by can could did do does doing down during each either few for from further had ' +
      'has have having he her here hers him his how i if in into is it its itself just me more most my ' +
      'neither no nor not of off on once only or other our ours out over own same she should so some such ' +
      'than that the their theirs them then there these they this those through to too under until up ' +
      'very was we were what when where which while who whom whose why will with would you your yours ' +
      'whether per via among yes now',
    // Czech (as the data writes it, without diacritics)
    'a aby ale ani ano by do i jak jako je jeho jej jejich k ke kde kdyz ktery ktera ktere na nad ne nebo ' +
      'od po pod pro pred pri s se si so ta tak te ten to u v ve z za ze',
  ]
    .join(' ')
    .split(/\s+/)
    .map(normalise),
);
