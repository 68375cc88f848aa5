"""The brag rules, each with examples it must catch and must let pass (the tests run them all)."""

from __future__ import annotations

from cardkeep.lint.brags import register

register(
    "brag.achievement", "prizes, promotions, admissions and titles, told as news",
    fires=[
        "Greg closed the biggest deal in his firm's history and was made partner at 38.",
        "Nora was accepted to Juilliard, Curtis, and the Royal Academy.",
        "Felix won the state spelling bee and will compete at the nationals.",
    ],
    passes=[
        "Congratulations on your promotion!",
        "Dad finally retired and loves his garden.",
        "Jake got into his first-choice college, and we'll miss him terribly.",
        "Two of my three kids had the flu over Thanksgiving.",
        "Tom won the office chili cook-off, mostly because he was the only entry.",
    ],
)
register(
    "brag.ranking", "children (and adults) ranked against everyone else",
    fires=[
        "Little Grace already reads at a fourth-grade level, and she's only in kindergarten.",
        "The coach says Anna has the best swing he's seen in thirty years.",
        "Our two are now far ahead of your children in reading.",
    ],
    passes=[
        "The kids sang in the holiday concert and we clapped the loudest.",
        "Our kids are our greatest blessing, messy rooms and all.",
    ],
)
register(
    "brag.wealth", "money, staff, houses and things",
    fires=[
        "We hired a full-time chef this year, and the kids have become little foodies.",
        "The lake house renovation added a wine cellar and a home theater.",
        "I've only used 4 of my 5 bathrooms since we moved in.",
    ],
    passes=[
        "We got a new-to-us minivan, and the kids have already spilled juice in it.",
        "Our church bake sale raised enough for the new roof.",
    ],
)
register(
    "brag.luxury", "first class, five stars and the right islands",
    fires=[
        "We flew business class to Tokyo and stayed at the Aman.",
        "After our third trip to the Maldives, it's the only beach worth flying to.",
    ],
    passes=[
        "We took a road trip to the Grand Canyon and the kids argued the whole way.",
        "We spent a week at the lake cabin with the cousins, like every summer.",
    ],
)
register(
    "brag.status", "clubs, covers, keynotes and corner offices",
    fires=[
        "We finally joined the country club; the waiting list is seven years.",
        "I was on the cover of our industry's leading trade magazine this fall.",
    ],
    passes=[
        "We saw your article in the paper and clipped it for the fridge.",
        "I'm taking a watercolor class at the senior center.",
    ],
)
register(
    "brag.name-drop", "famous friends and important tables",
    fires=[
        "Dinner with the Clooneys on Lake Como was a highlight of our summer.",
        "We were seated at the head table with the governor at the state dinner.",
    ],
    passes=[
        "We had dinner with the Johnsons and their new puppy.",
        "Thank you for the flowers you sent when Mom was sick.",
    ],
)
register(
    "brag.humble.complaint", "a complaint that is really a boast",
    fires=[
        "Our pool is so big it takes forever to heat up in the spring.",
        "Honestly, flying business class to our ski chalet three times a year gets so exhausting.",
    ],
    passes=[
        "I'm exhausted after the move, but happy to be closer to Mom.",
        "It must be exhausting juggling everything you do, so please rest.",
        "The furnace and the car both broke in the same week.",
    ],
)
register(
    "brag.humble.modesty", "false modesty around a boast",
    fires=[
        "So humbled to be named VP again this year.",
        "Somehow I ended up giving the keynote again; I guess they couldn't find anyone else!",
        "Finally a corner office, after all these years #humblebrag",
    ],
    passes=[
        "I'm humbled by how many of you showed up for us after the fire.",
        "Congratulations on your promotion, Sam! #proudmom",
        "We can't believe how fast the grandkids are growing.",
    ],
)
register(
    "brag.humble.blessed", "#blessed: gratitude for something to show off",
    fires=[
        "#blessed to be spending another winter at our place in Palm Beach.",
        "Truly blessed to have a daughter who was crowned homecoming queen AND valedictorian.",
        "Another summer on the lake with the whole gang #blessed",
    ],
    passes=[
        "We're blessed to have a healthy baby girl after a long wait.",
        "We're grateful our neighbor helped us fix the fence.",
    ],
)
register(
    "brag.in-demand", "too busy, too popular, too much in demand",
    fires=[
        "I had more speaking invitations this year than any year before, from every major firm in town.",
    ],
    passes=[
        "December was busy with school concerts and a leaking roof.",
        "We hope your new job is not keeping you too busy.",
    ],
)
